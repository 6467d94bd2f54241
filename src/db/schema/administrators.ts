import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { primaryId } from './columns';
import { structures } from './structures';

/**
 * People who administer: signed in with an OpenID Connect provider (Pro Santé Connect or another),
 * found by the national identifier (`8` + RPPS, or ADELI as the ANS writes it) or, for people
 * without one, the e-mail their provider vouches for. A row lives while the person holds a role:
 * operator-wide, or on at least one structure (`structure_administrators`).
 */
export const administrators = pgTable(
  'administrators',
  {
    id: primaryId(),
    nationalId: text('national_id').unique(),
    /** Lower-cased, so a provider's spelling does not matter. */
    email: text('email').unique(),
    isOperator: boolean('is_operator').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [check('administrators_identified', sql`${table.nationalId} is not null or ${table.email} is not null`)],
);

/** A person's role on one structure; removing the row removes the right at the next request. */
export const structureAdministrators = pgTable(
  'structure_administrators',
  {
    structureId: uuid('structure_id')
      .notNull()
      .references(() => structures.id, { onDelete: 'cascade' }),
    administratorId: uuid('administrator_id')
      .notNull()
      .references(() => administrators.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['admin', 'reader'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.structureId, table.administratorId] }),
    index('structure_administrators_person_idx').on(table.administratorId),
  ],
);
