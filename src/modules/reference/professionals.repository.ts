import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { CopyIn } from '../../db/copy';
import { selectRows, type Executor } from '../../db/database';

/**
 * Each extraction's professionals have a table of their own, `reference_professionals_<id>`. The
 * upload stages them there, without an index, so that rows go in at COPY speed; the load indexes
 * the table and attaches it as the extraction's partition of `reference_professionals`
 * (partitioned by extraction_id) in the transaction that puts it in force. Before that, readers of
 * reference_professionals cannot see a row of it; dropping it takes its rows at once.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** DDL takes no parameters: the id is checked, then written into the statement. */
function professionalsTableOf(extractionId: string) {
  if (!UUID.test(extractionId)) throw new Error(`Not an extraction id: ${extractionId}`);
  const name = `reference_professionals_${extractionId.replaceAll('-', '')}`;
  return { name, table: sql.identifier(name), id: sql.raw(`'${extractionId}'`) };
}

export async function createStagingTable(executor: Executor, extractionId: string): Promise<void> {
  const { table, id } = professionalsTableOf(extractionId);
  // The check is the partition's bound: attaching the table then need not scan it.
  await executor.execute(sql`create table ${table} (like reference_professionals, check (extraction_id = ${id}))`);
  await executor.execute(sql`alter table ${table} alter column extraction_id set default ${id}`);
}

/**
 * Writes batches of staged rows (ExtractionReader's format) into the extraction's table, created
 * earlier in the same transaction. PostgreSQL reads them with COPY as CSV with tab delimiters and
 * a quote character (0x01) that staged cells never hold, so each cell is taken as it is and an
 * empty one is NULL; FREEZE, allowed on a table created in the transaction, writes them already
 * frozen (no hint-bit writes or freezing vacuum later). PGlite gets a batch per statement.
 */
export async function stageProfessionals(
  executor: Executor,
  copyIn: CopyIn | undefined,
  extractionId: string,
  rows: AsyncIterable<Buffer>,
): Promise<void> {
  const { name, table } = professionalsTableOf(extractionId);
  if (copyIn) {
    await pipeline(
      Readable.from(rows),
      copyIn(
        `copy "${name}" (rpps, last_name, first_name, profession) from stdin with (format csv, delimiter E'\\t', quote E'\\x01', freeze)`,
      ),
    );
    return;
  }
  for await (const staged of rows) {
    await executor.execute(sql`
      insert into ${table} (rpps, last_name, first_name, profession)
      select split_part(line, E'\t', 1), split_part(line, E'\t', 2), nullif(split_part(line, E'\t', 3), ''), nullif(split_part(line, E'\t', 4), '')
        from unnest(string_to_array(${staged.toString('utf8')}::text, E'\n')) as line
       where line <> ''`);
  }
}

/**
 * Indexes the staged table and attaches it, in the caller's transaction: from its commit on, the
 * extraction's rows are in reference_professionals. Building the index once is far cheaper than
 * keeping it row by row.
 */
export async function attachProfessionals(executor: Executor, extractionId: string): Promise<void> {
  const { table, id } = professionalsTableOf(extractionId);
  // A background job, and a table of some 50 MB: parallel workers would cost more than they save
  // (0.6 s against 0.42 s on two cores) and take cores from the API's queries.
  await executor.execute(sql`set local max_parallel_maintenance_workers = 0`);
  // The same columns as the parent's index: attaching adopts this one instead of building another.
  await executor.execute(sql`create index on ${table} (extraction_id, rpps)`);
  await executor.execute(sql`alter table reference_professionals attach partition ${table} for values in (${id})`);
}

export async function dropProfessionals(executor: Executor, extractionId: string): Promise<void> {
  await executor.execute(sql`drop table if exists ${professionalsTableOf(extractionId).table}`);
}

/** For the rest of the transaction, a lock not granted within `timeout` (e.g. '1s') fails the statement (55P03). */
export async function setLocalLockTimeout(executor: Executor, timeout: string): Promise<void> {
  await executor.execute(sql.raw(`set local lock_timeout = '${timeout}'`));
}

/** Extractions whose table is still there although nobody will read it: failed loads, and superseded references. */
export async function findOutdatedProfessionals(executor: Executor): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(
    executor,
    sql`
    select id from reference_extractions
     where status in ('superseded', 'failed')
       and to_regclass(quote_ident('reference_professionals_' || replace(id::text, '-', ''))) is not null`,
  );
  return rows.map((row) => row.id);
}
