import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { scopedResource } from '../../platform/auth/authentication.plugin';
import { negotiateRepresentation } from '../../platform/content-negotiation';
import { DOWNLOAD_CONTENT_TYPES, downloadResponse, sendDownload } from '../../platform/downloads';
import { problems } from '../../platform/errors/problem.schema';
import { withHeaders } from '../../platform/openapi/response-headers';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { IdempotencyHeadersSchema } from '../../shared/schemas';
import { StructureParamsSchema } from '../structures/structures.schemas';
import { withImportUpload } from './import-upload';
import { writeImportReport } from './import-report';
import { findImport, type ImportRecord } from './imports.repository';
import {
  IMPORT_FORM,
  ImportParamsSchema,
  ImportRowSchema,
  ImportRowsQuerySchema,
  ImportSchema,
  SheetDownloadQuerySchema,
} from './imports.schemas';
import { toImport } from './import-view';
import { createImport, listImportRows, listImports, openImportReport } from './imports.service';
import { writeLoaduserTemplate } from '../loaduser-sheet';
import { IMPORT_DESCRIPTION, REPORT_DESCRIPTION, ROWS_DESCRIPTION, TEMPLATE_DESCRIPTION } from './imports.docs';

declare module '../../platform/auth/authentication.plugin' {
  interface ScopedResources {
    /** Loaded while scoping: the import of /v1/imports/{importId}/…. */
    importId: ImportRecord;
  }
}

const tags = ['Imports'];

export const importsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  app.registerStructureResolver('importId', async (id) => {
    const record = await findImport(app.db, id);
    return record && { structureId: record.structureId, resource: record };
  });

  app.get(
    '/v1/imports/template',
    {
      schema: {
        operationId: 'getImportTemplate',
        summary: 'Download the current loaduser template',
        tags,
        description: TEMPLATE_DESCRIPTION,
        querystring: SheetDownloadQuerySchema,
        response: { 200: downloadResponse('The template (xlsx or csv)'), ...problems() },
      },
    },
    async (request, reply) => {
      const format = negotiateRepresentation(request, reply, DOWNLOAD_CONTENT_TYPES, request.query.format);
      return sendDownload(reply, {
        fileName: `loaduser-modele.${format}`,
        format,
        write: (out) => writeLoaduserTemplate(format, out),
      });
    },
  );

  app.post(
    '/v1/structures/:structureId/imports',
    {
      config: { access: 'write', uploadForm: IMPORT_FORM },
      schema: {
        operationId: 'createImport',
        summary: 'Upload a loaduser file (csv, xls, xlsx) to create and update boxes',
        tags,
        description: IMPORT_DESCRIPTION,
        params: StructureParamsSchema,
        headers: IdempotencyHeadersSchema,
        consumes: ['multipart/form-data'],
        response: {
          202: withHeaders(NamedRef(ImportSchema), 'Location'),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'),
        },
      },
    },
    async (request, reply) => {
      const created = await withImportUpload(request, app.config.uploads, (upload) =>
        createImport(deps, contextOf(request), request.params.structureId, upload),
      );
      return reply.code(202).header('location', `/v1/imports/${created.id}`).send(created);
    },
  );

  app.get(
    '/v1/structures/:structureId/imports',
    {
      schema: {
        operationId: 'listImports',
        summary: "The structure's imports, newest first",
        tags,
        params: StructureParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(ImportSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listImports(deps, contextOf(request), request.params.structureId, request.query),
  );

  app.get(
    '/v1/imports/:importId',
    {
      schema: {
        operationId: 'getImport',
        summary: 'An import: status, progress, counts and file-level error',
        tags,
        params: ImportParamsSchema,
        response: { 200: NamedRef(ImportSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => toImport(scopedResource(request, 'importId')),
  );

  app.get(
    '/v1/imports/:importId/rows',
    {
      schema: {
        operationId: 'listImportRows',
        summary: 'One result per row, errors on their row, column and header',
        tags,
        description: ROWS_DESCRIPTION,
        params: ImportParamsSchema,
        querystring: Type.Composite([PageQuerySchema, ImportRowsQuerySchema]),
        response: { 200: pageSchema(ImportRowSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listImportRows(deps, request.params.importId, request.query),
  );

  app.get(
    '/v1/imports/:importId/report',
    {
      schema: {
        operationId: 'getImportReport',
        summary: "The upload annotated with each row's outcome and errors",
        tags,
        description: REPORT_DESCRIPTION,
        params: ImportParamsSchema,
        querystring: SheetDownloadQuerySchema,
        response: {
          200: downloadResponse('The annotated upload (xlsx or csv)'),
          ...problems('NOT_FOUND', 'CONFLICT', 'IMPORT_FILE_DELETED'),
        },
      },
    },
    async (request, reply) => {
      const record = scopedResource(request, 'importId');
      const format = negotiateRepresentation(request, reply, DOWNLOAD_CONTENT_TYPES, request.query.format);
      const rows = await openImportReport(deps, record, app.config.imports.sheetLimits);
      return sendDownload(reply, {
        fileName: `import-${record.id}.${format}`,
        format,
        write: (out) => writeImportReport(rows, format, out),
      });
    },
  );
};
