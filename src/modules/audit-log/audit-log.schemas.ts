import { ACTOR_TYPES } from '../../domain/actor-types';
import { Type, type Static } from '@sinclair/typebox';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, IdSchema } from '../../shared/schemas';

export const AuditEventSchema = Listed(
  'AuditEvent',
  Type.Object({
    id: IdSchema,
    occurredAt: DateTimeSchema,
    actor: Type.Object({
      type: Type.Union(ACTOR_TYPES.map((type) => Type.Literal(type))),
      id: Type.Union([Type.String(), Type.Null()], { description: 'API key id, or the job that acted' }),
    }),
    requestId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String({ description: 'e.g. `structure.updated`, `mailbox.created`' }),
    targetType: Type.String(),
    targetId: Type.String(),
    structureId: Type.Union([IdSchema, Type.Null()]),
    mailboxId: Type.Union([IdSchema, Type.Null()]),
    cause: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    before: Type.Unknown({ description: 'The resource before the change (null on creation)' }),
    after: Type.Unknown({ description: 'The resource after the change (null on deletion)' }),
  }),
);
export type AuditEvent = Static<typeof AuditEventSchema>;

export const AuditEventQuerySchema = Type.Object({
  structureId: Type.Optional(IdSchema),
  mailboxId: Type.Optional(IdSchema),
  targetId: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(
    Type.String({ maxLength: 100, description: 'Exact action, or a prefix ending with `.` such as `mailbox.`' }),
  ),
});
export type AuditEventQuery = Static<typeof AuditEventQuerySchema>;
