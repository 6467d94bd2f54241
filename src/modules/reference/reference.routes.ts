import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { AppError } from '../../domain/errors/error-catalogue';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { assertMultipartRequest, multipartFailure, receiveFilePart } from '../../platform/multipart-upload';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { IdempotencyHeadersSchema } from '../../shared/schemas';
import {
  ExtractionParamsSchema,
  REFERENCE_UPLOAD_FORM,
  ReferenceExtractionSchema,
  ReferenceSchema,
} from './reference.schemas';
import { getExtraction, getReference, uploadExtraction } from './reference.service';

const tags = ['Reference'];

const UPLOAD_DESCRIPTION = [
  'multipart/form-data with one part `file`: the ANS public `Extraction_Correspondance_MSSante` file (UTF-8,',
  '`|`-separated, 31 columns, its header line first). The file is read as it arrives: the header is checked on arrival',
  'and the bytes must be UTF-8 text (415 otherwise). Only PER lines held under an RPPS (`Type Identifiant PP` 8) are',
  'kept: RPPS, exercise name, first name, profession code; the raw file is not stored. Answered 202 with the extraction',
  'and its counts (lines read, professionals kept, malformed lines); a job then puts it in force: follow it at `Location`.',
  'Once loaded, it becomes the reference in force at once (the previous one is superseded; its rows are dropped by the',
  "next load), and the alimentation report's reference rules use it. Up to BALISE_REFERENCE_UPLOAD_MAX_BYTES (512 MiB",
  'by default; 413 above).',
].join('\n');

const unexpectedPart = (field: string) =>
  new AppError('BAD_REQUEST', 'The upload takes one part, `file`, and nothing else', [
    { field, code: 'MULTIPART_UNEXPECTED_PART', message: 'Unexpected part: send the extraction alone' },
  ]);

export const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.post(
    '/v1/reference/extractions',
    {
      config: {
        access: 'operator',
        uploadForm: REFERENCE_UPLOAD_FORM,
      },
      schema: {
        operationId: 'uploadReferenceExtraction',
        summary: 'Load the ANS MSSanté extraction as the reference of professionals (operator)',
        description: UPLOAD_DESCRIPTION,
        tags,
        consumes: ['multipart/form-data'],
        headers: IdempotencyHeadersSchema,
        response: {
          202: withHeaders(NamedRef(ReferenceExtractionSchema), 'Location'),
          ...problems('FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'),
        },
      },
    },
    async (request, reply) => {
      assertMultipartRequest(request);
      const tooLarge = () =>
        new AppError(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than BALISE_REFERENCE_UPLOAD_MAX_BYTES (${app.config.reference.maxUploadBytes} bytes)`,
        );
      try {
        const fileSize = app.config.reference.maxUploadBytes;
        const parts = request.parts({ limits: { fileSize } })[Symbol.asyncIterator]();
        const fieldsBefore: string[] = [];
        let next = await parts.next();
        for (; !next.done && next.value.type === 'field'; next = await parts.next())
          fieldsBefore.push(next.value.fieldname);
        const part = next.done ? undefined : next.value;
        if (part?.type !== 'file' || part.fieldname !== 'file') {
          if (part?.type === 'file') part.file.resume();
          throw new AppError('BAD_REQUEST', 'The upload has no part named `file`', [
            { field: 'file', code: 'FILE_REQUIRED', message: 'Send the extraction in a part named `file`' },
          ]);
        }
        if (fieldsBefore.length > 0) {
          part.file.resume();
          throw unexpectedPart(fieldsBefore[0]!);
        }
        const { fileName, content } = receiveFilePart(part);
        const assertNothingFollows = async () => {
          const after = await parts.next();
          if (after.done) return;
          if (after.value.type === 'file') after.value.file.resume();
          throw unexpectedPart(after.value.fieldname);
        };
        const extraction = await uploadExtraction(deps, contextOf(request), {
          fileName,
          content,
          isTruncated: () => part.file.truncated,
          assertNothingFollows,
        });
        return reply.code(202).header('location', `/v1/reference/extractions/${extraction.id}`).send(extraction);
      } catch (error) {
        throw multipartFailure(error, tooLarge) ?? error;
      }
    },
  );

  app.get(
    '/v1/reference/extractions/:extractionId',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'getReferenceExtraction',
        summary: 'Follow the load of an uploaded extraction (operator)',
        tags,
        params: ExtractionParamsSchema,
        response: { 200: NamedRef(ReferenceExtractionSchema), ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => getExtraction(deps, contextOf(request), request.params.extractionId),
  );

  app.get(
    '/v1/reference',
    {
      schema: {
        operationId: 'getReference',
        summary: 'What reference of professionals is loaded (rows, source file, loaded at)',
        tags,
        description:
          "Readable by every role: the reference is public ANS data, and explains the report's reference rules.",
        response: { 200: NamedRef(ReferenceSchema), ...problems() },
      },
    },
    async () => getReference(deps),
  );
};
