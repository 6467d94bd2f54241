import { Type, type Static } from '@sinclair/typebox';
import {
  EXAMPLE_DOMAIN,
  EXAMPLE_FINESS,
  EXAMPLE_IDS,
  EXAMPLE_INSTANT,
  EXAMPLE_SIRET,
} from '../../domain/contract-examples';
import { Named } from '../../shared/named-schemas';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, EmailSchema, IdSchema, PG_INTEGER_MAX } from '../../shared/schemas';

const QuotaSchema = Type.Union([Type.Integer({ minimum: 0, maximum: PG_INTEGER_MAX }), Type.Null()], {
  description: 'null = unlimited',
});

export const QuotasSchema = Type.Object(
  {
    personal: QuotaSchema,
    organisational: QuotaSchema,
    applicative: QuotaSchema,
  },
  { additionalProperties: false, description: 'Addresses allowed per family; personal counts PER and INT boxes' },
);
export type Quotas = Static<typeof QuotasSchema>;
export const QUOTA_FAMILIES = ['personal', 'organisational', 'applicative'] as const;
export type QuotaFamily = (typeof QUOTA_FAMILIES)[number];

const DomainSchema = Type.String({
  minLength: 4,
  maxLength: 253,
  description: 'An MSSanté domain, e.g. `ies-sud.mssante.fr`',
});
const FinessSchema = Type.String({ description: '9 characters, with its check key' });
const SiretSchema = Type.String({ description: '14 digits, with its check key' });
const ContactEmailDescription =
  "Where notices for the structure's admins go: the lifecycle sweep sends it a digest of the boxes whose owners it " +
  'warned of an inactivity deletion. null: admins follow warnings in the outbox (`GET /v1/notifications`) and in ' +
  '`GET /v1/lifecycle/upcoming` only.';

const IntExpiryRequiredDescription =
  'INT boxes are temporary: when true, an INT box without expiry date is refused (422 on `expiresAt` through the API, ' +
  'a row error on column P by import). When false (the default) it is accepted and reported: `INT_WITHOUT_EXPIRY` in the ' +
  "alimentation report, `warnings.intWithoutExpiry` in the structure's activity. Turning it on leaves existing boxes as they are.";

export const StructureSchema = Listed(
  'Structure',
  Type.Object(
    {
      id: IdSchema,
      name: Type.String(),
      finess: Type.Union([Type.String(), Type.Null()]),
      siret: Type.Union([Type.String(), Type.Null()]),
      domains: Type.Array(Type.String(), { description: 'The first is the default for new addresses' }),
      quotas: QuotasSchema,
      contactEmail: Type.Union([Type.String(), Type.Null()], { description: ContactEmailDescription }),
      intExpiryRequired: Type.Boolean({ description: IntExpiryRequiredDescription }),
      createdAt: DateTimeSchema,
      updatedAt: DateTimeSchema,
    },
    {
      examples: [
        {
          id: EXAMPLE_IDS.structure,
          name: 'Centre hospitalier Edmond Garcin',
          finess: EXAMPLE_FINESS,
          siret: EXAMPLE_SIRET,
          domains: [EXAMPLE_DOMAIN],
          quotas: { personal: 500, organisational: 50, applicative: 10 },
          contactEmail: 'dsi.messagerie@ch-aubagne.fr',
          intExpiryRequired: false,
          createdAt: EXAMPLE_INSTANT,
          updatedAt: EXAMPLE_INSTANT,
        },
      ],
    },
  ),
);
export type Structure = Static<typeof StructureSchema>;

export const CreateStructureBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    finess: Type.Optional(Type.Union([FinessSchema, Type.Null()])),
    siret: Type.Optional(Type.Union([SiretSchema, Type.Null()])),
    domains: Type.Optional(Type.Array(DomainSchema, { maxItems: 50 })),
    quotas: Type.Optional(Type.Partial(QuotasSchema)),
    contactEmail: Type.Optional(Type.Union([EmailSchema, Type.Null()], { description: ContactEmailDescription })),
    intExpiryRequired: Type.Optional(Type.Boolean({ description: `${IntExpiryRequiredDescription} Default false.` })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Centre hospitalier Edmond Garcin',
        finess: EXAMPLE_FINESS,
        siret: EXAMPLE_SIRET,
        domains: [EXAMPLE_DOMAIN],
        quotas: { personal: 500, organisational: 50, applicative: 10 },
        contactEmail: 'dsi.messagerie@ch-aubagne.fr',
      },
    ],
  },
);
export type CreateStructureBody = Static<typeof CreateStructureBodySchema>;

export const UpdateStructureBodySchema = Type.Partial(CreateStructureBodySchema, {
  additionalProperties: false,
  examples: [{ domains: [EXAMPLE_DOMAIN, 'ehpad-aubagne.mssante.fr'], quotas: { personal: 600 } }],
});
export type UpdateStructureBody = Static<typeof UpdateStructureBodySchema>;

export const StructureParamsSchema = Type.Object({ structureId: IdSchema });

export const StructureListQuerySchema = Type.Object({
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Matches the name, FINESS, SIRET or a domain' }),
  ),
});

const QuotaUsageSchema = Type.Object({
  limit: QuotaSchema,
  used: Type.Integer({ description: 'Boxes of this family holding an MSSanté address' }),
  available: Type.Union([Type.Integer(), Type.Null()], { description: 'null = unlimited' }),
});

export const MssantePanelSchema = Named(
  'MssantePanel',
  Type.Object({
    structureId: IdSchema,
    domains: Type.Array(Type.String()),
    quotas: Type.Object({
      personal: QuotaUsageSchema,
      organisational: QuotaUsageSchema,
      applicative: QuotaUsageSchema,
    }),
  }),
);
export type MssantePanel = Static<typeof MssantePanelSchema>;
