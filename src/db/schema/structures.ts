import { boolean, integer, pgTable, text, uuid, index } from 'drizzle-orm/pg-core';
import { primaryId, timestamps, version } from './columns';

export const structures = pgTable('structures', {
  id: primaryId(),
  name: text('name').notNull(),
  finess: text('finess'),
  siret: text('siret'),
  /** null = unlimited. Personal counts PER + INT (the deck's "personnel et interne"). */
  quotaPersonal: integer('quota_personal'),
  quotaOrganisational: integer('quota_organisational'),
  quotaApplicative: integer('quota_applicative'),
  /** Where notices for the structure's admins go (lifecycle deletion warnings); optional. */
  contactEmail: text('contact_email'),
  /** INT boxes are temporary: when set, one without an expiry date is refused (API 422, import row error). */
  intExpiryRequired: boolean('int_expiry_required').notNull().default(false),
  version: version(),
  ...timestamps(),
});

/** One row per MSSanté domain: the primary key makes a domain unique across structures. */
export const structureDomains = pgTable(
  'structure_domains',
  {
    domain: text('domain').primaryKey(),
    structureId: uuid('structure_id')
      .notNull()
      .references(() => structures.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (table) => [index('structure_domains_structure_idx').on(table.structureId, table.position)],
);
