import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { callerOf } from '../../platform/auth/authentication.plugin';
import { canWriteStructure, ROLES, type Caller } from '../../platform/auth/caller';
import { Named, NamedRef } from '../../shared/named-schemas';
import { IdSchema } from '../../shared/schemas';
import { StructureRoleSchema } from './administrators.schemas';

const MeSchema = Named(
  'Me',
  Type.Object({
    kind: Type.Union([Type.Literal('api_key'), Type.Literal('person')], {
      description: 'An API key, or a person signed in with an OpenID Connect provider',
    }),
    id: Type.String({ format: 'uuid', description: "The key's id, or the person's (as in the administrators lists)" }),
    role: Type.Union(
      ROLES.map((role) => Type.Literal(role)),
      { description: '`operator` (every structure), or the highest role held on a structure' },
    ),
    structures: Type.Array(Type.Object({ structureId: IdSchema, role: StructureRoleSchema }), {
      description: 'The structures the caller sees and its role on each (empty for an operator, who sees them all)',
    }),
  }),
);
type Me = Static<typeof MeSchema>;

const meOf = (caller: Caller): Me => ({
  kind: caller.kind,
  id: caller.id,
  role: caller.role,
  structures: caller.structureIds.map((structureId) => ({
    structureId,
    role: canWriteStructure(caller, structureId) ? 'admin' : 'reader',
  })),
});

/** Who the caller is: what a front-end reads after sign-in to show the structures it may open. */
export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me',
    {
      schema: {
        operationId: 'getMe',
        summary: 'Who is calling (API key or person) and their roles',
        tags: ['Administrators'],
        response: { 200: NamedRef(MeSchema) },
      },
    },
    async (request) => meOf(callerOf(request)),
  );
};
