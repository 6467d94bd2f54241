import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { negotiateRepresentation } from '../../platform/content-negotiation';
import { DOWNLOAD_CONTENT_TYPES, downloadResponse, sendDownload } from '../../platform/downloads';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { isoDate } from '../../shared/clock';
import { SheetDownloadQuerySchema } from '../imports/imports.schemas';
import { writeLoaduserCsv, writeLoaduserXlsx } from '../loaduser-sheet';
import { StructureParamsSchema } from '../structures/structures.schemas';
import { openMailboxExport, type ExportKind } from './exports.service';

const tags = ['Exports'];

const LAYOUT = [
  'The loaduser layout (template version 2, columns A to AH), streamed from the database in batches as it is written;',
  'xlsx adds the "Notice" sheet, csv is `;`-separated UTF-8 with a BOM. Cells a spreadsheet would run as a formula',
  '(leading `=`, `+`, `-`, `@`, their full-width forms `＝` `＋` `－` `＠`, a tab or a carriage return; phones such as',
  "`+33…` included) are written with a leading `'`, which the import removes. Column R holds the stored",
  'directory choice (empty = the default), AE to AG the status (in French: Préinscrite, À valider, Valide, Rejetée, Désactivée, Supprimée), last activity and id (ignored on import). Nominative boxes',
  'come first, then ORG and APP boxes, each sorted by name, so that column AH names rows above: the file imports as it is.',
  'Re-importing an unchanged export reports every row `unchanged`.',
].join(' ');

export const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  const routes: {
    path: string;
    kind: ExportKind;
    operationId: string;
    summary: string;
    description: string;
    fileName: string;
  }[] = [
    {
      path: '/v1/structures/:structureId/mailboxes/export',
      kind: 'current',
      operationId: 'exportMailboxes',
      summary: "Export the structure's boxes (every status but deleted) as a loaduser file",
      description: LAYOUT,
      fileName: 'bal',
    },
    {
      path: '/v1/structures/:structureId/deleted-mailboxes/export',
      kind: 'deleted',
      operationId: 'exportDeletedMailboxes',
      summary: 'Export the boxes deleted in the retention period and those soon to be deleted for inactivity',
      description: `Boxes deleted within the retention period (\`BALISE_LIFECYCLE_RETENTION_MONTHS\`, six months), with the MSSanté address they held last, and boxes in use whose last sign of life is old enough for the first deletion warning (\`BALISE_LIFECYCLE_INACTIVITY_DAYS\` minus the largest of \`BALISE_LIFECYCLE_WARNING_DAYS\`: 335 days by default). ${LAYOUT} Three columns follow AH, dates (UTC days, date cells in xlsx, JJ/MM/AAAA in csv) that the import ignores under these headers: AI \`Date de suppression\` (deleted boxes), AJ \`Suppression prévue le\` (boxes in use: their inactivity deadline, barring a sign of life) and AK \`Données effacées le\` (when the data is purged: the retention period after the deletion, or after the deadline).`,
      fileName: 'bal-supprimees',
    },
  ];

  for (const route of routes) {
    app.get(
      route.path,
      {
        schema: {
          operationId: route.operationId,
          summary: route.summary,
          description: route.description,
          tags,
          params: StructureParamsSchema,
          querystring: SheetDownloadQuerySchema,
          response: {
            200: downloadResponse('The boxes in the loaduser layout (xlsx or csv)'),
            ...problems('NOT_FOUND'),
          },
        },
      },
      async (request, reply) => {
        const format = negotiateRepresentation(request, reply, DOWNLOAD_CONTENT_TYPES, request.query.format);
        const rows = await openMailboxExport(
          deps,
          contextOf(request),
          request.params.structureId,
          route.kind,
          app.config.lifecycle,
        );
        const fileName = `${route.fileName}-${request.params.structureId}-${isoDate(app.clock.now())}.${format}`;
        return sendDownload(reply, {
          fileName,
          format,
          write: (out) => {
            const options = { lifecycleDates: route.kind === 'deleted' };
            return format === 'csv' ? writeLoaduserCsv(rows, out, options) : writeLoaduserXlsx(rows, out, options);
          },
        });
      },
    );
  }
};
