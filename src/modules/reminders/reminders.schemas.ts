import { Type, type Static } from '@sinclair/typebox';
import { Named } from '../../shared/named-schemas';
import { DateTimeSchema } from '../../shared/schemas';

export const ReminderSchema = Named(
  'Reminder',
  Type.Object({
    sent: Type.Integer({ minimum: 0, description: 'Pre-registered mailboxes reminded (0 when there were none)' }),
    at: DateTimeSchema,
  }),
);
export type Reminder = Static<typeof ReminderSchema>;

export const LastReminderSchema = Named(
  'LastReminder',
  Type.Union([ReminderSchema, Type.Null()], {
    description: 'The last reminder of the structure, or null when it never sent one',
  }),
);
