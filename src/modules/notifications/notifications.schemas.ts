import { Type, type Static } from '@sinclair/typebox';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, IdSchema } from '../../shared/schemas';

export const NOTIFICATION_KINDS = [
  'invitation',
  'reminder',
  'expiry_warning',
  'deletion_warning',
  'email_change',
  'webhook_disabled',
] as const;

export const NotificationSchema = Listed(
  'Notification',
  Type.Object({
    id: IdSchema,
    structureId: Type.Union([IdSchema, Type.Null()]),
    mailboxId: Type.Union([IdSchema, Type.Null()]),
    kind: Type.Union(NOTIFICATION_KINDS.map((kind) => Type.Literal(kind))),
    recipient: Type.String(),
    subject: Type.String(),
    body: Type.String(),
    status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')], {
      description:
        '`queued` until delivered by SMTP (or for good when no SMTP is configured); `failed` once every attempt failed',
    }),
    attempts: Type.Integer({ description: 'SMTP delivery attempts made so far' }),
    lastError: Type.Union([Type.String(), Type.Null()], {
      description: 'The SMTP error of the last failed attempt (kept after a later success)',
    }),
    createdAt: DateTimeSchema,
    sentAt: Type.Union([DateTimeSchema, Type.Null()]),
  }),
);
export type Notification = Static<typeof NotificationSchema>;

export const NotificationQuerySchema = Type.Object({
  structureId: Type.Optional(IdSchema),
  mailboxId: Type.Optional(IdSchema),
  kind: Type.Optional(Type.Union(NOTIFICATION_KINDS.map((kind) => Type.Literal(kind)))),
  status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')])),
});
export type NotificationQuery = Static<typeof NotificationQuerySchema>;
