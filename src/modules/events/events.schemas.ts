import { ACTOR_TYPES } from '../../domain/actor-types';
import { Type, type Static } from '@sinclair/typebox';
import { EVENT_TYPES, type EventType } from '../../platform/audit/event-types';
import { Named, NamedRef } from '../../shared/named-schemas';
import { DateTimeSchema, Defaulted, IdSchema } from '../../shared/schemas';

/** `evt_` + the feed position (transaction, sequence) in fixed-width hex: ids sort in feed order. */
export const EVENT_ID_PATTERN = '^evt_[0-9a-f]{32}$';
const EventIdSchema = Type.String({ pattern: EVENT_ID_PATTERN, examples: ['evt_00000000000002de0000000000000001'] });

/** An enum rather than a union of literals: the serialiser checks an enum once, a union branch by branch. */
export const EventTypeSchema = Type.Unsafe<EventType>({
  type: 'string',
  enum: [...EVENT_TYPES],
  description: 'What happened: `<subject>.<what>`',
});

export const EventSchema = Named(
  'Event',
  Type.Object({
    id: Type.String({
      ...EventIdSchema,
      description: 'Unique; sorting ids sorts events in feed order. Receivers deduplicate on it.',
    }),
    type: EventTypeSchema,
    occurredAt: DateTimeSchema,
    structureId: Type.Union([IdSchema, Type.Null()], { description: 'null for operator-level changes (API keys)' }),
    subject: Type.Object(
      { type: Type.String({ description: '`mailbox`, `structure`, `import`, …' }), id: Type.String() },
      { description: 'What changed' },
    ),
    mailboxId: Type.Union([IdSchema, Type.Null()]),
    actor: Type.Object({
      type: Type.Union(ACTOR_TYPES.map((type) => Type.Literal(type))),
      id: Type.Union([Type.String(), Type.Null()], { description: 'API key id, or the job that acted' }),
    }),
    requestId: Type.Union([Type.String(), Type.Null()]),
    cause: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: 'Why, when not a direct request: e.g. `{ "importId": … }`',
    }),
    data: Type.Unknown({ description: 'The subject after the change, in its API shape (null when it is gone)' }),
  }),
);
export type Event = Static<typeof EventSchema>;

export const EventFeedSchema = Named(
  'EventFeed',
  Type.Object(
    {
      items: Type.Array(NamedRef(EventSchema)),
      nextCursor: Type.Union([Type.String({ pattern: EVENT_ID_PATTERN }), Type.Null()], {
        description:
          'Pass it as `after` to read on: the id of the last event of this page, or your `after` when there was ' +
          'nothing new (null only when the feed is empty and no `after` was given). Never null once you have one.',
      }),
      hasMore: Type.Boolean({ description: 'More events are readable now: ask again at once rather than wait' }),
    },
    { description: 'A page of the event feed, in commit order' },
  ),
);

export const EventFeedQuerySchema = Type.Object({
  after: Type.Optional(
    Type.String({
      pattern: EVENT_ID_PATTERN,
      description: 'The `nextCursor` (or an event id) you read last; absent: from the oldest event kept',
    }),
  ),
  type: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'Comma-separated event types, each exact (`mailbox.created`) or a prefix ending with `.` (`mailbox.`)',
      examples: ['mailbox.created,mailbox.validated'],
    }),
  ),
  structureId: Type.Optional(IdSchema),
  limit: Defaulted(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export type EventFeedQuery = Static<typeof EventFeedQuerySchema>;
