import { getTableColumns, getTableName, sql, SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './database';

/**
 * Set-based writes of many rows in one statement with one parameter: the rows travel as a JSON
 * array that PostgreSQL unpacks with `jsonb_array_elements`. Far cheaper than row-by-row inserts
 * and than thousands of bind parameters, on pg and PGlite alike (bulk imports, batched audit).
 */

type ColumnMap = Record<string, PgColumn>;

/** The JS keys written, taken from the first row; every row must carry the same keys. */
function keysOf(rows: readonly Record<string, unknown>[], columns: ColumnMap): string[] {
  const first = rows[0] ?? {};
  const keys = Object.keys(first).filter((key) => first[key] !== undefined);
  for (const key of keys) {
    if (!columns[key]) throw new Error(`bulk write: no column for key ${key}`);
  }
  return keys;
}

/**
 * The rows as one JSON array of positional arrays (no repeated keys: less to send and to parse),
 * and, per column, the SQL reading its value back from element `r.e` with the column's type. JSON
 * columns keep their JSON (a JSON null becomes SQL NULL); everything else goes through its text.
 */
function recordsetOf(rows: readonly Record<string, unknown>[], keys: readonly string[], columns: ColumnMap) {
  const parts: string[] = [];
  for (const row of rows) {
    const cells: unknown[] = [];
    for (const key of keys) cells.push(row[key] ?? null);
    parts.push(JSON.stringify(cells));
  }
  const values = keys.map((key, index) => {
    const type = columns[key]!.getSQLType();
    return type === 'jsonb' || type === 'json'
      ? sql`nullif(r.e -> ${sql.raw(String(index))}, 'null'::jsonb)`
      : sql`(r.e ->> ${sql.raw(String(index))})::${sql.raw(type)}`;
  });
  return { source: sql`jsonb_array_elements(${`[${parts.join(',')}]`}::jsonb) as r(e)`, values };
}

/** `INSERT … SELECT … FROM jsonb_array_elements(…)`; columns left out take their defaults. Null for no rows. */
export function insertFromJsonQuery<Table extends PgTable>(
  table: Table,
  rows: readonly Table['$inferInsert'][],
): SQL | null {
  if (rows.length === 0) return null;
  const columns: ColumnMap = getTableColumns<PgTable>(table);
  const records = rows as readonly Record<string, unknown>[];
  const keys = keysOf(records, columns);
  const names = sql.join(
    keys.map((key) => sql.identifier(columns[key]!.name)),
    sql`, `,
  );
  const { source, values } = recordsetOf(records, keys, columns);
  return sql`insert into ${sql.identifier(getTableName(table))} (${names})
    select ${sql.join(values, sql`, `)} from ${source}`;
}

export async function insertFromJson<Table extends PgTable>(
  executor: Executor,
  table: Table,
  rows: readonly Table['$inferInsert'][],
): Promise<void> {
  const query = insertFromJsonQuery(table, rows);
  if (query) await executor.execute(query);
}

/**
 * `UPDATE … FROM jsonb_array_elements(…)` matching on `key`: each row sets the columns it
 * carries; `extraSet` adds assignments computed in SQL (e.g. `version = t.version + 1`).
 */
export function updateFromJsonQuery<Table extends PgTable>(
  table: Table,
  key: keyof Table['$inferInsert'] & string,
  rows: readonly Partial<Table['$inferInsert']>[],
  extraSet: SQL[] = [],
): SQL | null {
  if (rows.length === 0) return null;
  const columns: ColumnMap = getTableColumns<PgTable>(table);
  const records = rows as readonly Record<string, unknown>[];
  const keys = keysOf(records, columns);
  if (!keys.includes(key)) throw new Error(`bulk update: rows must carry their ${key}`);
  const { source, values } = recordsetOf(records, keys, columns);
  const assignments = keys.flatMap((name, index) =>
    name === key ? [] : [sql`${sql.identifier(columns[name]!.name)} = ${values[index]!}`],
  );
  const keyName = sql.identifier(columns[key]!.name);
  return sql`update ${sql.identifier(getTableName(table))} as t
    set ${sql.join([...assignments, ...extraSet], sql`, `)}
    from ${source}
    where t.${keyName} = ${values[keys.indexOf(key)]!}`;
}

export async function updateFromJson<Table extends PgTable>(
  executor: Executor,
  table: Table,
  key: keyof Table['$inferInsert'] & string,
  rows: readonly Partial<Table['$inferInsert']>[],
  extraSet: SQL[] = [],
): Promise<void> {
  const query = updateFromJsonQuery(table, key, rows, extraSet);
  if (query) await executor.execute(query);
}

/** A statement of a transaction built ahead of it: SQL, or a query it makes on the transaction. */
export type PlannedStatement = SQL | ((executor: Executor) => PromiseLike<unknown>);

/**
 * The statements of one transaction, run one after the other in the order they were added; each
 * is sent as soon as the one before it answers. A failure skips the rest (the transaction is lost
 * anyway) and is thrown by `settle`.
 */
export class StatementPipeline {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly executor: Executor) {}

  /** Queues a statement (null: nothing to do). */
  add(statement: PlannedStatement | null): void {
    if (statement === null) return;
    const run = () => (statement instanceof SQL ? this.executor.execute(statement) : statement(this.executor));
    this.last = this.last.then(run);
  }

  async settle(): Promise<void> {
    await this.last;
  }
}
