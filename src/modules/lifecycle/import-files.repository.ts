import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db/database';

export interface DeletedImportFile {
  id: string;
  structure_id: string;
  status: 'succeeded' | 'failed';
  /** ISO 8601, UTC. */
  finished_at: string;
  file_size: number;
}

/**
 * Deletes the uploads of up to `limit` imports that ended (succeeded or failed) at or before
 * `cutoff`, and stamps `file_deleted_at`, in one statement. A queued or running import is never
 * chosen: its job still reads the file. SKIP LOCKED leaves an import another transaction holds
 * to the next sweep, so two sweeps running at once share the work.
 */
export async function deleteEndedImportFiles(
  executor: Executor,
  cutoff: Date,
  now: Date,
  limit: number,
): Promise<DeletedImportFile[]> {
  return selectRows<DeletedImportFile>(
    executor,
    sql`
    with due as (
      select id from imports
       where file_deleted_at is null and status in ('succeeded', 'failed') and finished_at <= ${cutoff.toISOString()}::timestamptz
       order by finished_at, id
       limit ${limit}
       for update skip locked
    ), chunks as (
      delete from import_file_chunks c using due where c.import_id = due.id
    )
    update imports i set file_deleted_at = ${now.toISOString()}::timestamptz
      from due
     where i.id = due.id
    returning i.id, i.structure_id, i.status, to_char(i.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as finished_at, i.file_size`,
  );
}
