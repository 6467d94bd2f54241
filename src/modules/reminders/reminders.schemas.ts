import { Type, type Static } from '@sinclair/typebox';
import { MailboxStatusSchema, MailboxTypeSchema } from '../../domain/mailbox-vocabulary';
import { Named } from '../../shared/named-schemas';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, IdSchema } from '../../shared/schemas';

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

export const ReminderRecipientSchema = Listed(
  'ReminderRecipient',
  Type.Object({
    mailboxId: IdSchema,
    email: Type.String({ description: 'The reference address the reminder was sent to, as it was then' }),
    lastName: Type.String(),
    firstName: Type.String(),
    type: MailboxTypeSchema,
    status: MailboxStatusSchema,
  }),
);
export type ReminderRecipient = Static<typeof ReminderRecipientSchema>;
