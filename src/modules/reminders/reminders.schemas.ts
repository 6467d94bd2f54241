import { Type, type Static } from '@sinclair/typebox';
import { DateTimeSchema } from '../../shared/schemas';

export const ReminderSchema = Type.Object({
  sent: Type.Integer({ minimum: 0, description: 'Pre-registered mailboxes reminded (0 when there were none)' }),
  at: DateTimeSchema,
});
export type Reminder = Static<typeof ReminderSchema>;

export const LastReminderSchema = Type.Union([ReminderSchema, Type.Null()], {
  description: 'The last reminder of the structure, or null when it never sent one',
});
