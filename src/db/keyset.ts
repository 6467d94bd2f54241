import { asc, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Keyset pagination over `columns` (the last one unique, usually the id): the rows after a
 * page's last key, in the order that key was read in. `after` compares the columns as one row
 * value, `(a, b) > ($1, $2)`, which a btree index on those columns serves as a range; each value
 * is cast to its column's type, since a cursor's values come back as text.
 */
export function keyset(
  columns: readonly PgColumn[],
  direction: 'asc' | 'desc',
  afterKey: readonly unknown[] | undefined,
): { after: SQL | undefined; orderBy: SQL[] } {
  const order = direction === 'asc' ? asc : desc;
  const after =
    afterKey === undefined
      ? undefined
      : sql`(${sql.join([...columns], sql`, `)}) ${sql.raw(direction === 'asc' ? '>' : '<')} (${sql.join(
          columns.map((column, index) => sql`${afterKey[index]}::${sql.raw(column.getSQLType())}`),
          sql`, `,
        )})`;
  return { after, orderBy: columns.map((column) => order(column)) };
}
