import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { primaryId } from './columns';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: primaryId(),
    name: text('name').notNull(),
    role: text('role', { enum: ['operator', 'admin', 'reader'] }).notNull(),
    structureIds: uuid('structure_ids').array().notNull().default([]),
    /** SHA-256 of the secret: keys are 256-bit random, so a fast hash is enough and lookups stay indexed. */
    secretHash: text('secret_hash').notNull().unique(),
    /** A random public id (`kid_` and 12 hex digits) to let people recognise the key in a list; no part of the secret. */
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [index('api_keys_structure_ids_idx').using('gin', table.structureIds)],
);
