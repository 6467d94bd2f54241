import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { ifMatchOf, withEtag } from '../../shared/etag';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { IdempotencyHeadersSchema, IfMatchHeadersSchema } from '../../shared/schemas';
import {
  CreateStructureBodySchema,
  MssantePanelSchema,
  StructureListQuerySchema,
  StructureParamsSchema,
  StructureSchema,
  UpdateStructureBodySchema,
} from './structures.schemas';
import {
  createStructure,
  deleteStructure,
  getMssantePanel,
  getStructure,
  listStructures,
  updateStructure,
} from './structures.service';

const tags = ['Structures'];

export const structuresRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.post(
    '/v1/structures',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'createStructure',
        summary: 'Create a structure (operator)',
        tags,
        headers: IdempotencyHeadersSchema,
        body: CreateStructureBodySchema,
        response: {
          201: withHeaders(NamedRef(StructureSchema), 'ETag', 'Location'),
          ...problems('FORBIDDEN', 'DOMAIN_TAKEN', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const { structure, version } = await createStructure(deps, contextOf(request), request.body);
      return withEtag(reply.code(201), version).header('location', `/v1/structures/${structure.id}`).send(structure);
    },
  );

  app.get(
    '/v1/structures',
    {
      schema: {
        operationId: 'listStructures',
        summary: 'List the structures visible to the caller',
        tags,
        querystring: Type.Composite([PageQuerySchema, StructureListQuerySchema]),
        response: { 200: pageSchema(StructureSchema), ...problems() },
      },
    },
    async (request) => listStructures(deps, contextOf(request), request.query),
  );

  app.get(
    '/v1/structures/:structureId',
    {
      schema: {
        operationId: 'getStructure',
        summary: 'Get a structure',
        tags,
        params: StructureParamsSchema,
        response: { 200: withHeaders(NamedRef(StructureSchema), 'ETag'), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const { structure, version } = await getStructure(deps, contextOf(request), request.params.structureId);
      return withEtag(reply, version).send(structure);
    },
  );

  app.patch(
    '/v1/structures/:structureId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateStructure',
        summary: 'Change a structure (domains and quotas: operator only)',
        tags,
        params: StructureParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateStructureBodySchema,
        response: {
          200: withHeaders(NamedRef(StructureSchema), 'ETag'),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'DOMAIN_TAKEN', 'PRECONDITION_FAILED', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const { structure, version } = await updateStructure(
        deps,
        contextOf(request),
        request.params.structureId,
        request.body,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(structure);
    },
  );

  app.delete(
    '/v1/structures/:structureId',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'deleteStructure',
        summary: 'Delete a structure without mailboxes (operator)',
        tags,
        params: StructureParamsSchema,
        headers: IfMatchHeadersSchema,
        response: {
          204: Type.Null({ description: 'Deleted' }),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'RESOURCE_IN_USE', 'PRECONDITION_FAILED'),
        },
      },
    },
    async (request, reply) => {
      await deleteStructure(deps, contextOf(request), request.params.structureId, ifMatchOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/structures/:structureId/mssante',
    {
      schema: {
        operationId: 'getStructureMssante',
        summary: 'MSSanté domains and, per quota family, addresses used and available',
        tags,
        params: StructureParamsSchema,
        response: { 200: NamedRef(MssantePanelSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => getMssantePanel(deps, contextOf(request), request.params.structureId),
  );
};
