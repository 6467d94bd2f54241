import { PassThrough } from 'node:stream';
import { NamedRef } from '../../shared/named-schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addVary, negotiateRepresentation, type Representations } from '../../platform/content-negotiation';
import { DOWNLOAD_CONTENT_TYPES } from '../../platform/downloads';
import { problems } from '../../platform/errors/problem.schema';
import { withHeaders } from '../../platform/openapi/response-headers';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { isoDate } from '../../shared/clock';
import { PageQuerySchema } from '../../shared/pagination';
import { StructureParamsSchema } from '../structures/structures.schemas';
import { AlimentationReportSchema, ReportQuerySchema, type ReportFormat } from './alimentation-report.schemas';
import { getAlimentationReport, streamAlimentationReport } from './alimentation-report.service';
import { writeReportCsv, writeReportXlsx } from './report-files';
import { languageOf } from './report-language';

/** JSON first: the representation sent when neither `format` nor `Accept` chooses. */
const REPORT_REPRESENTATIONS: Representations<ReportFormat> = {
  json: 'application/json',
  csv: DOWNLOAD_CONTENT_TYPES.csv,
  xlsx: DOWNLOAD_CONTENT_TYPES.xlsx,
};

const DESCRIPTION = [
  "Every issue the ANS would flag on the structure's fed boxes (pre-registered or valid, not test, not MED), each",
  '`{ mailboxId, email, type, rule, severity, field, message }`. A box with a blocking issue is not published.',
  '',
  "- Issues are ordered by mailbox id, then by the rule's rank in the catalogue; `cursor` is keyset over that order.",
  '- `summary` counts the whole report of the structure, whatever the filters and the page: every fed box is evaluated',
  '  on each request, and the page and the summary are computed from one database snapshot.',
  '- Filters `rule`, `severity`, `type` narrow `items` (and the files), not the summary.',
  '- `Accept-Language: fr` gives French messages (and French headers in the files); English otherwise.',
  '- The reference rules (RPPS_NOT_IN_REFERENCE, NAME_MISMATCH_REFERENCE) are silent while no reference extraction is',
  '  loaded (`reference: null`).',
  '- Three representations, chosen by `Accept` (`application/json`, `text/csv`, the xlsx type; q-values honoured) or by',
  '  `format`, which wins when both are given; JSON when neither says. An `Accept` allowing none of them is a 406 whose',
  '  `available` lists the media types.',
  "- CSV and XLSX stream every matching issue (`limit` and `cursor` do not apply); the XLSX has a summary sheet. In both, a cell a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, their full-width forms, a tab or a carriage return) starts with `'`.",
  '  Whoever wants every issue should use a file rather than page through the JSON, each page re-evaluating the structure.',
].join('\n');

export const alimentationReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.get(
    '/v1/structures/:structureId/alimentation-report',
    {
      schema: {
        operationId: 'getAlimentationReport',
        summary: 'The alimentation report: what the ANS would flag, with a summary',
        description: DESCRIPTION,
        tags: ['Alimentation report'],
        params: StructureParamsSchema,
        headers: Type.Object({
          'accept-language': Type.Optional(
            Type.String({ description: '`fr` for French messages; English by default' }),
          ),
        }),
        querystring: Type.Composite([PageQuerySchema, ReportQuerySchema]),
        response: {
          200: withHeaders(
            {
              description: 'The report: one page as JSON, or every matching issue as a CSV or XLSX file',
              content: {
                'application/json': { schema: NamedRef(AlimentationReportSchema) },
                'text/csv': { schema: Type.String({ description: '`;`-separated, UTF-8 with a BOM, a header row' }) },
                [DOWNLOAD_CONTENT_TYPES.xlsx]: {
                  schema: Type.String({ format: 'binary', description: 'The issues, then a summary sheet' }),
                },
              },
            },
            'Content-Disposition',
          ),
          ...problems('NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const language = languageOf(request.headers['accept-language']);
      const { limit, cursor, rule, severity, type } = request.query;
      reply.header('content-language', language);
      addVary(reply, 'Accept-Language');
      const format = negotiateRepresentation(request, reply, REPORT_REPRESENTATIONS, request.query.format);
      if (format === 'json') {
        return reply
          .type('application/json')
          .send(
            await getAlimentationReport(
              deps,
              contextOf(request),
              request.params.structureId,
              { limit, cursor, rule, severity, type },
              language,
            ),
          );
      }
      const report = await streamAlimentationReport(
        deps,
        contextOf(request),
        request.params.structureId,
        { rule, severity, type },
        language,
      );
      const body = new PassThrough();
      const write = format === 'csv' ? writeReportCsv : writeReportXlsx;
      write(report, language, body).catch((error: unknown) => {
        request.log.error({ err: error }, 'alimentation report file failed mid-stream');
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      const fileName = `alimentation-report-${request.params.structureId}-${isoDate(report.generatedAt)}.${format}`;
      return (
        reply
          .type(REPORT_REPRESENTATIONS[format])
          .header('content-disposition', `attachment; filename="${fileName}"`)
          // A stream is sent as is (no serialisation); the typed reply only knows the schemas' shapes.
          .send(body as never)
      );
    },
  );
};
