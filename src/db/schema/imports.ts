import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  boolean,
} from 'drizzle-orm/pg-core';
import { structures } from './structures';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A loaduser import: the upload, its options, its progress and counts. */
export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey(),
    structureId: uuid('structure_id')
      .notNull()
      .references(() => structures.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] })
      .notNull()
      .default('queued'),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['csv', 'xlsx', 'xls'] }).notNull(),
    fileSize: integer('file_size').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    onError: text('on_error', { enum: ['abort', 'skip'] })
      .notNull()
      .default('abort'),
    notify: boolean('notify').notNull().default(false),
    directoryVisible: boolean('directory_visible'),
    totalRows: integer('total_rows'),
    processedRows: integer('processed_rows').notNull().default(0),
    /** Rows applied so far: a resumed job starts after it, so no row is applied twice. */
    appliedThroughRow: integer('applied_through_row').notNull().default(1),
    /**
     * Rows per outcome, and with `notify` the invitations queued and skipped (ORG, APP); the two
     * invitation counts are absent from imports made before they existed (read as 0).
     */
    counts: jsonb('counts')
      .$type<{
        created: number;
        updated: number;
        unchanged: number;
        failed: number;
        invitationsQueued?: number;
        invitationsSkipped?: number;
      }>()
      .notNull()
      .default({ created: 0, updated: 0, unchanged: 0, failed: 0 }),
    /** A file-level failure (unreadable file, outdated template), as a problem document. */
    error: jsonb('error'),
    createdBy: text('created_by'),
    createdAt: instant('created_at').notNull().defaultNow(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
    /**
     * When the lifecycle sweep deleted the upload (`BALISE_IMPORT_FILE_RETENTION_HOURS` after the
     * end): it holds names, RPPS and e-mails, and nothing needs it once the import is over but the
     * annotated report, which answers 410 from then on. The row results stay.
     */
    fileDeletedAt: instant('file_deleted_at'),
  },
  (table) => [
    index('imports_structure_idx').on(table.structureId, table.createdAt),
    // The sweep's search: ended imports whose file is still there, oldest end first.
    index('imports_file_retention_idx')
      .on(table.finishedAt)
      .where(sql`${table.fileDeletedAt} is null and ${table.status} in ('succeeded', 'failed')`),
  ],
);

/**
 * The uploaded bytes, kept in the database so any process's job runner can read them, in pieces
 * of at most 256 KiB (`seq` from 0): the upload is written and read a piece at a time, never
 * held whole in memory, nor sent to or read from PostgreSQL as one value.
 */
export const importFileChunks = pgTable(
  'import_file_chunks',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    content: bytea('content').notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.seq] })],
);

export const importRows = pgTable(
  'import_rows',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    email: text('email'),
    outcome: text('outcome', { enum: ['created', 'updated', 'unchanged', 'failed'] }).notNull(),
    mailboxId: uuid('mailbox_id'),
    errors: jsonb('errors')
      .$type<{ column: string; header: string; code: string; message: string }[]>()
      .notNull()
      .default([]),
    /** What the row was accepted with but should be looked at (e.g. an INT box without expiry date). */
    warnings: jsonb('warnings')
      .$type<{ column: string; header: string; code: string; message: string }[]>()
      .notNull()
      .default([]),
  },
  (table) => [
    primaryKey({ columns: [table.importId, table.rowNumber] }),
    index('import_rows_outcome_idx').on(table.importId, table.outcome),
  ],
);

/**
 * Rows read and validated, waiting to be applied: the first pass parses the file once and parks
 * each valid row here; the second pass applies them in batches after the import's checkpoint
 * (`applied_through_row`, committed with each batch, so a resumed import never applies a row
 * twice). Dropped when the import ends.
 */
export const importStagedRows = pgTable(
  'import_staged_rows',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull(),
    /**
     * Set when validation found the row asks nothing of its box (and names no links): the box,
     * the versions of the box and of the structure it was judged against, and the row's
     * warnings. While both versions hold, the apply pass records the row unchanged without
     * planning it again (`confirm-unchanged.repository.ts`).
     */
    unchangedMailboxId: uuid('unchanged_mailbox_id'),
    unchangedBoxVersion: integer('unchanged_box_version'),
    unchangedStructureVersion: integer('unchanged_structure_version'),
    unchangedWarnings:
      jsonb('unchanged_warnings').$type<{ column: string; header: string; code: string; message: string }[]>(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.rowNumber] })],
);
