import { Type, type Static } from '@sinclair/typebox';
import { Named } from '../../shared/named-schemas';
import { Listed } from '../../shared/pagination';
import {
  DateSchema,
  DateTimeSchema,
  Defaulted,
  EmailSchema,
  IdSchema,
  Nullable,
  StringEnum,
} from '../../shared/schemas';
import { MailboxStatusSchema, MailboxTypeSchema, ResponsibleSchema } from '../../domain/mailbox-vocabulary';
import {
  CREATE_MAILBOX_EXAMPLES,
  MAILBOX_EXAMPLE,
  REGISTRATION_EXAMPLE,
  TRANSFER_TARGET_EXAMPLE,
} from './mailbox-examples';

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

export const CorrespondenceSchema = Type.Object({
  localPart: Type.String(),
  domain: Type.String(),
  address: Type.String({ description: '`localPart@domain`, the MSSanté address' }),
  isTest: Type.Boolean({ description: 'A test address: never published' }),
  assignedAt: DateTimeSchema,
});
export type Correspondence = Static<typeof CorrespondenceSchema>;

/** The fields a caller sets on a box (create, PATCH, type change, import). */
const editableProperties = {
  lastName: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'For ORG/APP: the box\'s name, e.g. "Service BE"',
  }),
  firstName: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'For ORG/APP: a second label, e.g. the structure',
  }),
  civility: Type.Optional(Nullable(Type.String({ enum: ['M', 'MME'] }))),
  profession: Type.Optional(Nullable(Text(4, 'TRE_G15 code, e.g. `10` (Médecin)'))),
  professionCategory: Type.Optional(Nullable(Text(1, 'TRE_R09: C, E or M'))),
  specialty: Type.Optional(Nullable(Text(20, 'Savoir-faire, e.g. `SM54`'))),
  rpps: Type.Optional(Nullable(Text(11, '11 digits with a Luhn key (a wrong key is accepted on test accounts only)'))),
  adeli: Type.Optional(Nullable(Text(9, '9 digits'))),
  service: Type.Optional(Nullable(Text(200))),
  organisationName: Type.Optional(Nullable(Text(200))),
  address: Type.Optional(Nullable(Text(300))),
  postalCode: Type.Optional(Nullable(Text(10))),
  city: Type.Optional(Nullable(Text(100))),
  phone: Type.Optional(Nullable(Text(30))),
  mailboxPhone: Type.Optional(Nullable(Text(30, 'Published with the box'))),
  paperless: Type.Optional(Nullable(Type.Boolean(), { description: 'Dématérialisation: accepts paperless exchanges' })),
  expiresAt: Type.Optional(Nullable(DateSchema, { description: 'The box is deactivated on this date' })),
  isTest: Type.Optional(Type.Boolean({ description: 'Test account: its MSSanté address is never published' })),
  directoryVisible: Type.Optional(
    Nullable(Type.Boolean(), {
      description:
        'Explicit directory visibility; null follows the default (unlisted until the user finishes registration)',
    }),
  ),
  responsible: Type.Optional(Nullable(ResponsibleSchema, { description: 'ORG and APP only' })),
  description: Type.Optional(Nullable(Text(500, 'ORG and APP only: what the box is used for'))),
};

export const MailboxSchema = Listed(
  'Mailbox',
  Type.Object(
    {
      id: IdSchema,
      structureId: IdSchema,
      type: MailboxTypeSchema,
      email: Type.String({ description: 'The reference address and login; unique, case-insensitively' }),
      status: MailboxStatusSchema,
      lastName: Type.String(),
      firstName: Type.String(),
      civility: Nullable(Type.String()),
      profession: Nullable(Type.String()),
      professionCategory: Nullable(Type.String()),
      specialty: Nullable(Type.String()),
      rpps: Nullable(Type.String()),
      adeli: Nullable(Type.String()),
      service: Nullable(Type.String()),
      organisationName: Nullable(Type.String()),
      address: Nullable(Type.String()),
      postalCode: Nullable(Type.String()),
      city: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      mailboxPhone: Nullable(Type.String()),
      paperless: Nullable(Type.Boolean()),
      expiresAt: Nullable(DateSchema),
      isTest: Type.Boolean(),
      directoryVisible: Type.Boolean({ description: 'Whether the directory lists the box (effective value)' }),
      directoryVisibility: StringEnum(['default', 'explicit']),
      responsible: Nullable(ResponsibleSchema),
      description: Nullable(Type.String()),
      correspondence: Nullable(CorrespondenceSchema),
      lastActivityAt: Nullable(DateTimeSchema),
      createdAt: DateTimeSchema,
      updatedAt: DateTimeSchema,
    },
    {
      examples: [MAILBOX_EXAMPLE],
    },
  ),
);
export type Mailbox = Static<typeof MailboxSchema>;

export const CreateMailboxBodySchema = Type.Object(
  {
    structureId: IdSchema,
    type: MailboxTypeSchema,
    email: EmailSchema,
    ...editableProperties,
    notify: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Queue an invitation carrying a registration link (MED, PER and INT boxes only)',
      }),
    ),
  },
  { additionalProperties: false, examples: CREATE_MAILBOX_EXAMPLES },
);
export type CreateMailboxBody = Static<typeof CreateMailboxBodySchema>;

export const UpdateMailboxBodySchema = Type.Partial(Type.Object(editableProperties), {
  additionalProperties: false,
  examples: [{ service: 'Rythmologie', mailboxPhone: '+33442846010', paperless: true }],
  description:
    'Fields to change; the reference e-mail changes through an email-change request, the type through type-change',
});
export type UpdateMailboxBody = Static<typeof UpdateMailboxBodySchema>;

export const TypeChangeBodySchema = Type.Object(
  { type: MailboxTypeSchema, ...Type.Partial(Type.Object(editableProperties)).properties },
  {
    additionalProperties: false,
    description: 'The new type and the fields it needs (e.g. a responsible for ORG)',
    examples: [{ type: 'MED' }],
  },
);
export type TypeChangeBody = Static<typeof TypeChangeBodySchema>;

export const TransferBodySchema = Type.Object(
  { structureId: IdSchema },
  { additionalProperties: false, examples: [{ structureId: TRANSFER_TARGET_EXAMPLE }] },
);

export const MailboxParamsSchema = Type.Object({ mailboxId: IdSchema });

export const MAILBOX_SORTS = ['lastName', '-lastName', 'email', '-email', 'createdAt', '-createdAt'] as const;
export type MailboxSort = (typeof MAILBOX_SORTS)[number];

export const MailboxListQuerySchema = Type.Object({
  structureId: Type.Optional(IdSchema),
  status: Type.Optional(MailboxStatusSchema),
  type: Type.Optional(MailboxTypeSchema),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'What an administrator types. Every word, in any order, must begin a word of the last name, first name, ' +
        'service, organisation name, description, reference e-mail, active MSSanté address, RPPS or ADELI. ' +
        'Case and accents do not matter; anything but letters and digits separates words (so `Dupont Moretti` ' +
        "finds Dupont-Moretti and `O'Connor` O'Connor), and words written apart may be typed together " +
        '(`oconnor`, `legall` for Le Gall). A `q` without any letter or digit finds nothing. Boxes holding more ' +
        'of the typed words whole come first, then the requested `sort`.',
    }),
  ),
  sort: Defaulted(StringEnum(MAILBOX_SORTS, { default: 'lastName' })),
});
export type MailboxListQuery = Static<typeof MailboxListQuerySchema>;

export const MailboxCountsSchema = Named(
  'MailboxCounts',
  Type.Object({
    valid: Type.Integer(),
    pending: Type.Integer({ description: 'Self sign-ups awaiting validation' }),
    preregistered: Type.Integer(),
    rejected: Type.Integer(),
    deactivated: Type.Integer(),
    emailChangeRequests: Type.Integer({ description: 'Pending change-of-mail requests' }),
  }),
);
export type MailboxCounts = Static<typeof MailboxCountsSchema>;
export const MailboxCountsQuerySchema = Type.Object({ structureId: Type.Optional(IdSchema) });

export const RegistrationBodySchema = Type.Object(
  {
    structureId: IdSchema,
    type: MailboxTypeSchema,
    email: EmailSchema,
    ...editableProperties,
  },
  {
    additionalProperties: false,
    examples: [REGISTRATION_EXAMPLE],
  },
);
export type RegistrationBody = Static<typeof RegistrationBodySchema>;

export const CompleteRegistrationBodySchema = Type.Object(
  {
    token: Type.String({ minLength: 16, maxLength: 200, description: 'The token of the invitation or reminder' }),
    phone: Type.Optional(Nullable(Text(30))),
  },
  { additionalProperties: false, examples: [{ token: 'rgt_Qm3xV8pLz2NcT7wKb4YdH9sF', phone: '+33612345678' }] },
);
export type CompleteRegistrationBody = Static<typeof CompleteRegistrationBodySchema>;
