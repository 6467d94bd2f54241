import { pgTable, primaryKey, text, timestamp, uuid, integer, index } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const REFERENCE_EXTRACTION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'superseded'] as const;
export type ReferenceExtractionStatus = (typeof REFERENCE_EXTRACTION_STATUSES)[number];

/**
 * Loads of the ANS's public extraction; the succeeded one loaded last is the reference in force,
 * the ones it replaced become `superseded` (their professionals are deleted).
 */
export const referenceExtractions = pgTable('reference_extractions', {
  id: uuid('id').primaryKey(),
  sourceFile: text('source_file').notNull(),
  status: text('status', { enum: REFERENCE_EXTRACTION_STATUSES }).notNull().default('queued'),
  /** Professionals loaded (lines of a PER box with an RPPS). */
  rows: integer('rows').notNull().default(0),
  fileSize: integer('file_size').notNull().default(0),
  /** Data lines read so far (the header excluded): the job's progress. */
  linesRead: integer('lines_read').notNull().default(0),
  /** Lines that do not have the 31 columns of the layout. */
  malformedLines: integer('malformed_lines').notNull().default(0),
  error: text('error'),
  createdBy: text('created_by'),
  createdAt: instant('created_at').notNull().defaultNow(),
  startedAt: instant('started_at'),
  loadedAt: instant('loaded_at'),
});

/**
 * The uploaded file, in chunks of a few MiB cut after a line end: any process's job runner can
 * read it back one chunk at a time (a single value would have to be held whole in memory). Text,
 * not bytea: the file is UTF-8 (checked on upload), and text reads back without hex decoding.
 * Deleted once loaded.
 */
export const referenceExtractionChunks = pgTable(
  'reference_extraction_chunks',
  {
    extractionId: uuid('extraction_id')
      .notNull()
      .references(() => referenceExtractions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    content: text('content').notNull(),
  },
  (table) => [primaryKey({ columns: [table.extractionId, table.position] })],
);

/** RPPS → exercise name and profession, from the reference in force. */
export const referenceProfessionals = pgTable(
  'reference_professionals',
  {
    extractionId: uuid('extraction_id').notNull(),
    rpps: text('rpps').notNull(),
    lastName: text('last_name').notNull(),
    firstName: text('first_name'),
    profession: text('profession'),
  },
  (table) => [index('reference_professionals_rpps_idx').on(table.extractionId, table.rpps)],
);
