import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { problemResponses } from '../../platform/errors/problem.schema';
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
        response: { 201: NamedRef(StructureSchema), ...problemResponses(403, 409, 422) },
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
        response: { 200: pageSchema(StructureSchema), ...problemResponses() },
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
        response: { 200: NamedRef(StructureSchema), ...problemResponses(404) },
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
        response: { 200: NamedRef(StructureSchema), ...problemResponses(403, 404, 409, 412, 422) },
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
        response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses(403, 404, 409, 412) },
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
        response: { 200: NamedRef(MssantePanelSchema), ...problemResponses(404) },
      },
    },
    async (request) => getMssantePanel(deps, contextOf(request), request.params.structureId),
  );
};
