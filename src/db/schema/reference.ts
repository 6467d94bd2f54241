import { pgTable, text, timestamp, uuid, integer, index } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const REFERENCE_EXTRACTION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'superseded'] as const;
export type ReferenceExtractionStatus = (typeof REFERENCE_EXTRACTION_STATUSES)[number];

/**
 * Loads of the ANS's public extraction; the succeeded one loaded last is the reference in force,
 * the ones it replaced become `superseded` (their professionals are dropped by the next load).
 */
export const referenceExtractions = pgTable('reference_extractions', {
  id: uuid('id').primaryKey(),
  sourceFile: text('source_file').notNull(),
  status: text('status', { enum: REFERENCE_EXTRACTION_STATUSES }).notNull().default('queued'),
  /** Professionals kept (lines of a PER box with an RPPS), counted on upload. */
  rows: integer('rows').notNull().default(0),
  fileSize: integer('file_size').notNull().default(0),
  /** Data lines read on upload (the header and blank lines excluded). */
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
 * RPPS → exercise name and profession, by extraction. Partitioned by extraction_id (migration
 * 0003, which drizzle cannot express): each extraction's rows are a table of their own, staged at
 * upload and attached when the extraction is put in force (modules/reference/professionals.repository.ts).
 */
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
