import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_RPPS } from '../../domain/contract-examples';
import { STRUCTURE_ROLES } from '../../platform/auth/caller';
import { Listed } from '../../shared/pagination';
import { EmailSchema, IdSchema } from '../../shared/schemas';

/** The idNat as the ANS writes it, and as Pro Santé Connect puts it in its tokens. */
export const NationalIdSchema = Type.String({
  pattern: '^(8[0-9]{11}|0[0-9]{9})$',
  description:
    'The national identifier as the ANS writes it (idNat): `8` followed by the 11-digit RPPS (its check key is verified), ' +
    'or `0` followed by the 9-digit ADELI',
});

export const StructureRoleSchema = Type.Union(
  STRUCTURE_ROLES.map((role) => Type.Literal(role)),
  { description: '`admin`: reads and changes the structure; `reader`: reads it only' },
);

/** A person is named by one of the two: their national identifier, or the e-mail their provider vouches for. */
const personProperties = {
  nationalId: Type.Optional(NationalIdSchema),
  email: Type.Optional(
    Type.String({ format: 'email', maxLength: 254, description: 'For people without a national identifier' }),
  ),
};

export const AddAdministratorBodySchema = Type.Object(
  { ...personProperties, role: StructureRoleSchema },
  {
    additionalProperties: false,
    examples: [{ nationalId: `8${EXAMPLE_RPPS.nurse}`, role: 'admin' }],
  },
);
export type AddAdministratorBody = Static<typeof AddAdministratorBodySchema>;

export const AddOperatorBodySchema = Type.Object(personProperties, {
  additionalProperties: false,
  examples: [{ email: 'exploitation@operateur.example' }],
});
export type AddOperatorBody = Static<typeof AddOperatorBodySchema>;

const personShape = {
  id: Type.String({ format: 'uuid', description: 'The person (the same id on every structure they administer)' }),
  nationalId: Type.Union([NationalIdSchema, Type.Null()]),
  email: Type.Union([EmailSchema, Type.Null()]),
};

export const AdministratorSchema = Listed(
  'Administrator',
  Type.Object({
    ...personShape,
    structureId: IdSchema,
    role: StructureRoleSchema,
    createdAt: Type.String({ format: 'date-time', description: 'When this role was given' }),
  }),
);
export type Administrator = Static<typeof AdministratorSchema>;

export const OperatorSchema = Listed(
  'Operator',
  Type.Object({
    ...personShape,
    createdAt: Type.String({ format: 'date-time', description: 'When the person was made operator' }),
  }),
);
export type Operator = Static<typeof OperatorSchema>;

export const AdministratorParamsSchema = Type.Object({ structureId: IdSchema, administratorId: IdSchema });
export const OperatorParamsSchema = Type.Object({ administratorId: IdSchema });
