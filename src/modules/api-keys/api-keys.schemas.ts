import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_IDS } from '../../domain/contract-examples';
import { Named } from '../../shared/named-schemas';
import { Listed } from '../../shared/pagination';
import { ROLES } from '../../platform/auth/caller';
import { DateTimeSchema, Defaulted, IdSchema } from '../../shared/schemas';

export const RoleSchema = Type.Union(
  ROLES.map((role) => Type.Literal(role)),
  {
    description:
      '`operator`: every structure; `admin`: read/write on its structures; `reader`: read-only on its structures',
  },
);

export const CreateApiKeyBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: RoleSchema,
    structureIds: Defaulted(Type.Array(IdSchema, { default: [], maxItems: 1000, uniqueItems: true })),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'DPI Aubagne (éditeur)', role: 'admin', structureIds: [EXAMPLE_IDS.structure] }],
  },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBodySchema>;

const apiKeyProperties = {
  id: IdSchema,
  name: Type.String(),
  role: RoleSchema,
  structureIds: Type.Array(IdSchema),
  prefix: Type.String({
    description: 'A random public id to recognise the key by in lists and logs; no part of the secret',
    examples: ['kid_3f9c2a7b1e04'],
  }),
  createdAt: DateTimeSchema,
  revokedAt: Type.Union([DateTimeSchema, Type.Null()]),
};

export const ApiKeySchema = Listed('ApiKey', Type.Object(apiKeyProperties));
export type ApiKey = Static<typeof ApiKeySchema>;

export const CreatedApiKeySchema = Named(
  'CreatedApiKey',
  Type.Object({
    ...apiKeyProperties,
    key: Type.Optional(
      Type.String({
        description:
          'The secret, shown this once only: store it now. Absent from an idempotent replay (`Idempotent-Redacted: key`), never stored in clear',
      }),
    ),
  }),
);
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

export const ApiKeyParamsSchema = Type.Object({ apiKeyId: IdSchema });
