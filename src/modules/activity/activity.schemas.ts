import { ACTOR_TYPES } from '../../domain/actor-types';
import { Type, type Static } from '@sinclair/typebox';
import { Named } from '../../shared/named-schemas';
import { MAILBOX_STATUSES, MAILBOX_TYPES } from '../../domain/mailbox-vocabulary';
import { UpcomingItemSchema } from '../lifecycle/lifecycle.schemas';
import { DateTimeSchema, Defaulted, IdSchema } from '../../shared/schemas';

const countsOf = (keys: readonly string[], description: string) =>
  Type.Object(Object.fromEntries(keys.map((key) => [key, Type.Integer({ minimum: 0 })])), { description });

export const ActivityQuerySchema = Type.Object({
  expiringWithinDays: Defaulted(
    Type.Integer({ minimum: 0, maximum: 365, default: 30, description: 'Window of `expiringSoon`' }),
  ),
  deletionWithinDays: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 365,
      description: "Window of `dueForDeletion`; by default the first inactivity warning's (30 days)",
    }),
  ),
  limit: Defaulted(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Length of each list' })),
});
export type ActivityQuery = Static<typeof ActivityQuerySchema>;

export const RecentChangeSchema = Type.Object({
  id: IdSchema,
  occurredAt: DateTimeSchema,
  action: Type.String({ description: 'e.g. `mailbox.created`; the full event (before, after) is at /v1/audit-events' }),
  targetType: Type.String(),
  targetId: Type.String(),
  mailboxId: Type.Union([IdSchema, Type.Null()]),
  actor: Type.Object({
    type: Type.Union(ACTOR_TYPES.map((type) => Type.Literal(type))),
    id: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type RecentChange = Static<typeof RecentChangeSchema>;

const DueListSchema = (description: string) =>
  Type.Object(
    {
      withinDays: Type.Integer(),
      items: Type.Array(UpcomingItemSchema),
      hasMore: Type.Boolean({
        description: 'More boxes are due: GET /v1/lifecycle/upcoming?structureId=&reason= lists them all',
      }),
    },
    { description },
  );

export const ActivityWarningSchema = Type.Object({
  code: Type.Union([Type.Literal('INT_WITHOUT_EXPIRY')], {
    description:
      'INT_WITHOUT_EXPIRY: temporary (INT) boxes in use without expiry date (see `intExpiryRequired` on the structure)',
  }),
  count: Type.Integer({ minimum: 1 }),
  message: Type.String(),
  mailboxIds: Type.Array(IdSchema, { description: 'The first `limit` boxes concerned, by id' }),
});
export type ActivityWarning = Static<typeof ActivityWarningSchema>;

export const StructureActivitySchema = Named(
  'StructureActivity',
  Type.Object({
    structureId: IdSchema,
    generatedAt: DateTimeSchema,
    counts: Type.Object({
      total: Type.Integer({ description: 'Boxes not deleted' }),
      byStatus: countsOf(MAILBOX_STATUSES, 'Every box per status, deleted ones (within retention or purged) included'),
      byType: countsOf(MAILBOX_TYPES, 'Boxes not deleted, per type'),
    }),
    recentChanges: Type.Array(RecentChangeSchema, { description: "The structure's latest audit events, newest first" }),
    expiringSoon: DueListSchema(
      'Active boxes whose expiry date (deactivation) falls within the window, overdue ones first',
    ),
    dueForDeletion: DueListSchema(
      'Boxes the inactivity sweep deletes within the window (no activity for nearly a year), soonest first',
    ),
    warnings: Type.Array(ActivityWarningSchema, {
      description: 'What the structure should look at; only warnings that apply are listed (empty when none do)',
    }),
  }),
);
export type StructureActivity = Static<typeof StructureActivitySchema>;
