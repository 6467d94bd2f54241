import { Type, type Static } from '@sinclair/typebox';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, Defaulted, IdSchema } from '../../shared/schemas';

export const SheetDownloadFormatSchema = Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], {
  default: 'xlsx',
  description: '`xlsx` (with a "Notice" sheet) or `csv` (`;`-separated, UTF-8 with BOM, as French Excel opens it)',
});
export const SheetDownloadQuerySchema = Type.Object({ format: Defaulted(SheetDownloadFormatSchema) });
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
  Type.Object({
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
    error: Type.Union([ImportProblemSchema, Type.Null()]),
    createdAt: DateTimeSchema,
    startedAt: Type.Union([DateTimeSchema, Type.Null()]),
    finishedAt: Type.Union([DateTimeSchema, Type.Null()]),
    fileDeletedAt: Type.Union([DateTimeSchema, Type.Null()], {
      description:
        'When the upload was deleted, its retention period after the end over (the report answers 410 from then on)',
    }),
  }),
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

export interface ImportOptions {
  dryRun: boolean;
  onError: 'abort' | 'skip';
  notify: boolean;
  directoryVisible: boolean | null;
}
