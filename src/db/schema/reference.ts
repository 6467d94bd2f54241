import { pgTable, text, timestamp, uuid, integer, index } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** Loads of the ANS's public extraction; the newest succeeded one is the reference in force. */
export const referenceExtractions = pgTable('reference_extractions', {
  id: uuid('id').primaryKey(),
  sourceFile: text('source_file').notNull(),
  status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull().default('queued'),
  rows: integer('rows').notNull().default(0),
  error: text('error'),
  createdAt: instant('created_at').notNull().defaultNow(),
  loadedAt: instant('loaded_at'),
});

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
