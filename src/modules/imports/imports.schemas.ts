import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_IDS } from '../../domain/contract-examples';
import { Listed } from '../../shared/pagination';
import type { UploadForm } from '../../platform/multipart-upload';
import { DateTimeSchema, Defaulted, IdSchema, StringEnum } from '../../shared/schemas';

export const SheetDownloadFormatSchema = StringEnum(['xlsx', 'csv'], {
  description:
    '`xlsx` (with a "Notice" sheet) or `csv` (`;`-separated, UTF-8 with BOM, as French Excel opens it). ' +
    'Wins over `Accept` when both are given; without it, `Accept` chooses (`text/csv` or the xlsx type), and xlsx when it does not say',
});
export const SheetDownloadQuerySchema = Type.Object({ format: Type.Optional(SheetDownloadFormatSchema) });
export type SheetDownloadFormat = Static<typeof SheetDownloadFormatSchema>;

export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const IMPORT_OUTCOMES = ['created', 'updated', 'unchanged', 'failed'] as const;
export const ImportOutcomeSchema = Type.Union(IMPORT_OUTCOMES.map((outcome) => Type.Literal(outcome)));

export const ImportParamsSchema = Type.Object({ importId: IdSchema });

const RowErrorSchema = Type.Object({
  row: Type.Integer({ description: 'Spreadsheet row, header = 1' }),
  column: Type.String({ description: 'Column letter, A … AH' }),
  header: Type.String({ description: 'The template header of that column' }),
  code: Type.String({ description: 'Stable code, e.g. `RPPS_KEY`, `DUPLICATE_EMAIL`, `ACCOUNT_UNKNOWN`' }),
  message: Type.String(),
});

export const ImportProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    detail: Type.String(),
    code: Type.String({
      description:
        '`FILE_EMPTY`, `FORMAT_UNSUPPORTED`, `FILE_UNREADABLE`, `FILE_ENCODING_INVALID`, `HEADER_MISMATCH`, `TEMPLATE_OUTDATED`, ' +
        'an exceeded limit (`TOO_MANY_ROWS`, `TOO_MANY_COLUMNS`, `CELL_TOO_LONG`, `FILE_TOO_LARGE_UNPACKED`, ' +
        '`TOO_MANY_SHARED_STRINGS`, `SHARED_STRINGS_TOO_LONG`, `FILE_TOO_COMPLEX`, `FILE_READ_STALLED`: see `setting` and `limit`), ' +
        '`ROWS_INVALID` (rows failed under `onError=abort`: nothing written) or `IMPORT_CRASHED`',
    }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          row: Type.Optional(Type.Integer()),
          column: Type.Optional(Type.String()),
          code: Type.String(),
          message: Type.String(),
        }),
      ),
    ),
    template: Type.Optional(Type.String({ description: 'Where to download the current template (header errors)' })),
    setting: Type.Optional(
      Type.String({
        description: 'On an exceeded limit: the environment variable that sets it, e.g. `BALISE_IMPORT_MAX_ROWS`',
      }),
    ),
    limit: Type.Optional(Type.Integer({ description: 'On an exceeded limit: its value' })),
  },
  { additionalProperties: true, description: 'Why the whole import failed (RFC 9457 problem object)' },
);

const CountsSchema = Type.Object(
  {
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    failed: Type.Integer(),
  },
  { description: 'Rows per outcome so far; on a dry run, what the import would do' },
);

export const ImportSchema = Listed(
  'Import',
  Type.Object(
    {
      id: IdSchema,
      structureId: IdSchema,
      status: Type.Union(IMPORT_STATUSES.map((status) => Type.Literal(status))),
      fileName: Type.String(),
      format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('xls')], {
        description: 'Detected from the bytes',
      }),
      fileSize: Type.Integer({ description: 'Bytes' }),
      options: Type.Object({
        dryRun: Type.Boolean(),
        onError: Type.Union([Type.Literal('abort'), Type.Literal('skip')]),
        notify: Type.Boolean(),
        directoryVisible: Type.Union([Type.Boolean(), Type.Null()]),
      }),
      progress: Type.Object({
        phase: Type.Union(['queued', 'validating', 'applying', 'done'].map((phase) => Type.Literal(phase))),
        rowsRead: Type.Integer({ description: 'Data rows read and validated so far' }),
        totalRows: Type.Union([Type.Integer(), Type.Null()], {
          description: 'Data rows in the file, once it has been read to its end',
        }),
        rowsApplied: Type.Integer({
          description: 'Rows written or found unchanged so far (created + updated + unchanged)',
        }),
      }),
      counts: CountsSchema,
      invitations: Type.Object(
        {
          queued: Type.Integer({ description: 'Created MED, PER and INT boxes invited' }),
          skipped: Type.Integer({
            description:
              'Created ORG and APP boxes not invited: their reference address has no person to complete a registration',
          }),
        },
        {
          description:
            'With `notify`, the invitations so far (on a dry run, what the import would queue); both 0 without `notify`. ' +
            'Invitations reach MED, PER and INT boxes only: an ORG or APP row is created all the same, without one.',
        },
      ),
      error: Type.Union([ImportProblemSchema, Type.Null()]),
      createdAt: DateTimeSchema,
      startedAt: Type.Union([DateTimeSchema, Type.Null()]),
      finishedAt: Type.Union([DateTimeSchema, Type.Null()]),
      fileDeletedAt: Type.Union([DateTimeSchema, Type.Null()], {
        description:
          'When the upload was deleted, its retention period after the end over (the report answers 410 from then on)',
      }),
    },
    {
      examples: [
        {
          id: EXAMPLE_IDS.import,
          structureId: EXAMPLE_IDS.structure,
          status: 'succeeded',
          fileName: 'loaduser-ch-aubagne-mars-2026.xlsx',
          format: 'xlsx',
          fileSize: 48213,
          options: { dryRun: false, onError: 'skip', notify: true, directoryVisible: null },
          progress: { phase: 'done', rowsRead: 120, totalRows: 120, rowsApplied: 118 },
          counts: { created: 97, updated: 15, unchanged: 6, failed: 2 },
          invitations: { queued: 90, skipped: 7 },
          error: null,
          createdAt: '2026-03-02T09:15:00.000Z',
          startedAt: '2026-03-02T09:15:01.000Z',
          finishedAt: '2026-03-02T09:15:09.000Z',
          fileDeletedAt: null,
        },
      ],
    },
  ),
);
export type Import = Static<typeof ImportSchema>;

export const ImportRowSchema = Listed(
  'ImportRow',
  Type.Object({
    rowNumber: Type.Integer({ description: 'Spreadsheet row, header = 1' }),
    email: Type.Union([Type.String(), Type.Null()], { description: 'Column A as read (lower case)' }),
    outcome: ImportOutcomeSchema,
    mailboxId: Type.Union([IdSchema, Type.Null()], { description: 'The box created, updated or found unchanged' }),
    errors: Type.Array(RowErrorSchema),
    warnings: Type.Array(RowErrorSchema, {
      description:
        'What an accepted row should still have (same shape as errors), e.g. `INT_WITHOUT_EXPIRY` on column P; empty on failed rows',
    }),
  }),
);
export type ImportRow = Static<typeof ImportRowSchema>;

export const ImportRowsQuerySchema = Type.Object({ outcome: Type.Optional(ImportOutcomeSchema) });
export type ImportRowsQuery = Static<typeof ImportRowsQuerySchema>;

/** The import form's fields beside `file`: what the contract shows and what the upload is checked against. */
export const ImportFormFieldsSchema = Type.Object(
  {
    dryRun: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Validate every row and report what the import would do, writing nothing',
      }),
    ),
    onError: Defaulted(
      StringEnum(['abort', 'skip'], {
        default: 'abort',
        description:
          '`abort`: if any row fails, nothing is written; `skip`: valid rows are written, failed ones reported',
      }),
    ),
    notify: Defaulted(Type.Boolean({ default: false, description: 'Queue an invitation e-mail for each box created' })),
    directoryVisible: Type.Optional(
      Type.Boolean({
        description:
          'Directory visibility of the boxes created (column R, when filled, wins); unset: the default of each box type',
      }),
    ),
  },
  { additionalProperties: false },
);

export const IMPORT_FORM: UploadForm = {
  fields: ImportFormFieldsSchema,
  file: {
    description:
      'The loaduser file: csv (`;` or `,`; UTF-8, with or without BOM, or Windows-1252), xls or xlsx (first sheet). ' +
      'Its format is read from its bytes, whatever the part type or name says',
    contentTypes: [
      'text/csv',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/octet-stream',
    ],
  },
};

export interface ImportOptions {
  dryRun: boolean;
  onError: 'abort' | 'skip';
  notify: boolean;
  directoryVisible: boolean | null;
}
