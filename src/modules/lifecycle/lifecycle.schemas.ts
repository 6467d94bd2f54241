import { Type, type Static } from '@sinclair/typebox';
import { Named } from '../../shared/named-schemas';
import { Listed } from '../../shared/pagination';
import { MailboxStatusSchema, MailboxTypeSchema } from '../../domain/mailbox-vocabulary';
import { DateSchema, DateTimeSchema, Defaulted, IdSchema } from '../../shared/schemas';

export const ActivityBodySchema = Type.Union(
  [
    Type.Object(
      {
        at: Type.Optional(
          Type.String({
            format: 'date-time',
            description:
              'When the box was used, if the platform reports late; default now. A time in the future counts as now.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Optional: an empty body records activity now', examples: [{ at: '2026-03-02T08:47:12.000Z' }] },
);
export type ActivityBody = Static<typeof ActivityBodySchema>;

export const RestoreBodySchema = Type.Union(
  [
    Type.Object(
      {
        withoutCorrespondence: Type.Optional(
          Type.Boolean({
            default: false,
            description:
              "Restore even when the MSSanté address the deletion withdrew is now someone else's (or its domain left the " +
              'structure, or the quota is used up): the box comes back without an address. Default false: such a restore is refused.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Optional', examples: [{ withoutCorrespondence: false }] },
);
export type RestoreBody = Static<typeof RestoreBodySchema>;

/** A sweep's answer lists at most this many ids per step (the counts stay exact). */
export const MAX_LISTED_IDS = 1000;

const SweepStepSchema = (description: string) =>
  Type.Object(
    {
      count: Type.Integer({ minimum: 0 }),
      mailboxIds: Type.Array(IdSchema, {
        description: `The boxes concerned (at most ${MAX_LISTED_IDS}; count is exact)`,
      }),
    },
    { description },
  );

const ImportFilesStepSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 0 }),
    importIds: Type.Array(IdSchema, {
      description: `The imports concerned (at most ${MAX_LISTED_IDS}; count is exact)`,
    }),
  },
  {
    description:
      'Imports that ended (succeeded or failed) more than `BALISE_IMPORT_FILE_RETENTION_HOURS` ago whose uploaded file was deleted ' +
      '(their report answers 410 from then on; the import and its row results stay)',
  },
);
export type ImportFilesStep = Static<typeof ImportFilesStepSchema>;

export const SweepReportSchema = Named(
  'SweepReport',
  Type.Object({
    sweepId: IdSchema,
    trigger: Type.Union([Type.Literal('api'), Type.Literal('schedule')]),
    startedAt: DateTimeSchema,
    finishedAt: DateTimeSchema,
    deactivated: SweepStepSchema('Boxes deactivated because their expiry date came'),
    warned: Type.Composite([
      SweepStepSchema('Boxes whose owner was warned of an inactivity deletion by this sweep'),
      Type.Object({
        adminNotices: Type.Integer({ minimum: 0, description: "Digests queued to structures' contact e-mails" }),
      }),
    ]),
    deleted: SweepStepSchema('Boxes deleted after the inactivity period (soft: restorable during retention)'),
    purged: SweepStepSchema(
      'Deleted boxes past retention whose personal data was erased, from the box and from its audit events and event-feed entries',
    ),
    importFilesDeleted: ImportFilesStepSchema,
    auditEventsDeleted: Type.Object(
      { count: Type.Integer({ minimum: 0 }) },
      {
        description:
          'Audit events older than `BALISE_AUDIT_RETENTION_MONTHS` deleted by this sweep (each batch is itself audited as `audit_trail.pruned`)',
      },
    ),
  }),
);
export type SweepReport = Static<typeof SweepReportSchema>;

export const UPCOMING_REASONS = ['expiry', 'inactivity'] as const;
export type UpcomingReason = (typeof UPCOMING_REASONS)[number];

export const UpcomingQuerySchema = Type.Object({
  structureId: Type.Optional(IdSchema),
  withinDays: Defaulted(
    Type.Integer({
      minimum: 0,
      maximum: 3650,
      default: 30,
      description:
        'The window: what falls due from now to now + withinDays (overdue boxes the next sweep handles are included)',
    }),
  ),
  reason: Type.Optional(Type.Union(UPCOMING_REASONS.map((reason) => Type.Literal(reason)))),
});
export type UpcomingQuery = Static<typeof UpcomingQuerySchema>;

export const UpcomingItemSchema = Listed(
  'UpcomingItem',
  Type.Object({
    mailboxId: IdSchema,
    structureId: IdSchema,
    email: Type.String(),
    type: MailboxTypeSchema,
    status: MailboxStatusSchema,
    reason: Type.Union(
      UPCOMING_REASONS.map((reason) => Type.Literal(reason)),
      {
        description: '`expiry`: deactivation on the expiry date; `inactivity`: deletion after the inactivity period',
      },
    ),
    dueAt: Type.String({
      format: 'date-time',
      description:
        'From when the sweep acts: 00:00 UTC of the expiry date, or the last sign of life + the inactivity period',
    }),
    expiresAt: Type.Union([DateSchema, Type.Null()]),
    lastActivityAt: Type.Union([DateTimeSchema, Type.Null()]),
    lastSignOfLifeAt: Type.String({
      format: 'date-time',
      description: 'The latest of last activity, creation, registration and restoration: inactivity counts from it',
    }),
  }),
);
export type UpcomingItem = Static<typeof UpcomingItemSchema>;
