import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { NamedRef } from '../../shared/named-schemas';
import { IdempotencyHeadersSchema, IdSchema } from '../../shared/schemas';
import {
  AddAdministratorBodySchema,
  AddOperatorBodySchema,
  AdministratorParamsSchema,
  AdministratorSchema,
  OperatorParamsSchema,
  OperatorSchema,
} from './administrators.schemas';
import {
  addAdministrator,
  addOperator,
  listAdministrators,
  listOperators,
  removeAdministrator,
  removeOperator,
} from './administrators.service';

const tags = ['Administrators'];

/**
 * People who administer a structure (signed in with OpenID Connect), and operator-wide people.
 * A structure's admins manage its administrators (the scoping hook checks write access to
 * `structureId`); operators manage operators.
 */
export const administratorsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.get(
    '/v1/structures/:structureId/administrators',
    {
      schema: {
        operationId: 'listAdministrators',
        summary: 'List the people who administer or read a structure, with their role',
        tags,
        params: Type.Object({ structureId: IdSchema }),
        querystring: PageQuerySchema,
        response: { 200: pageSchema(AdministratorSchema) },
      },
    },
    async (request) => listAdministrators(deps, request.params.structureId, request.query),
  );

  app.post(
    '/v1/structures/:structureId/administrators',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'addAdministrator',
        summary: 'Give a person (by national identifier or e-mail) a role on a structure, or change it',
        description:
          'The person signs in with an OpenID Connect provider Balise trusts and is recognised by the national identifier ' +
          '(or e-mail) the provider vouches for. 201 when the person had no role on this structure, 200 when the role was ' +
          'changed or was already this one. An admin of the structure may add admins and readers to it.',
        tags,
        headers: IdempotencyHeadersSchema,
        params: Type.Object({ structureId: IdSchema }),
        body: AddAdministratorBodySchema,
        response: {
          200: NamedRef(AdministratorSchema),
          201: NamedRef(AdministratorSchema),
          ...problems('BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const { administrator, created } = await addAdministrator(
        deps,
        contextOf(request),
        request.params.structureId,
        request.body,
      );
      return reply.code(created ? 201 : 200).send(administrator);
    },
  );

  app.delete(
    '/v1/structures/:structureId/administrators/:administratorId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'removeAdministrator',
        summary: "Take a person's role on a structure away: their next request there is refused",
        tags,
        params: AdministratorParamsSchema,
        response: { 204: Type.Null({ description: 'Removed' }), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await removeAdministrator(deps, contextOf(request), request.params.structureId, request.params.administratorId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/operators',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'listOperators',
        summary: 'List the people with the operator role (every structure)',
        tags,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(OperatorSchema) },
      },
    },
    async (request) => listOperators(deps, request.query),
  );

  app.post(
    '/v1/operators',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'addOperator',
        summary: 'Give a person (by national identifier or e-mail) the operator role',
        description: '201 when the person becomes operator, 200 when they already were.',
        tags,
        headers: IdempotencyHeadersSchema,
        body: AddOperatorBodySchema,
        response: {
          200: NamedRef(OperatorSchema),
          201: NamedRef(OperatorSchema),
          ...problems('BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const { operator, created } = await addOperator(deps, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(operator);
    },
  );

  app.delete(
    '/v1/operators/:administratorId',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'removeOperator',
        summary: "Take a person's operator role away",
        tags,
        params: OperatorParamsSchema,
        response: { 204: Type.Null({ description: 'Removed' }), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await removeOperator(deps, contextOf(request), request.params.administratorId);
      return reply.code(204).send(null);
    },
  );
};
