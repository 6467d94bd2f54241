import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../../db/database';
import { importRows, importStagedRows, mailboxes } from '../../../db/schema';

/**
 * Records as unchanged, in one statement, the staged rows of a batch that validation found to ask
 * nothing of their box, where neither the box nor the structure changed since (the versions
 * validation judged them against); returns their row numbers. Every other row of the batch is
 * planned like any row. A row recorded here writes nothing to its box: it is the no-op its plan
 * would be, and a change someone commits after this statement's snapshot simply comes after
 * the import, as it would after a planned row.
 */
export async function confirmUnchangedRows(
  executor: Executor,
  batch: { importId: string; afterRow: number; throughRow: number; structureVersion: number },
): Promise<Set<number>> {
  const staged = importStagedRows;
  const rows = await selectRows<{ row_number: number }>(
    executor,
    sql`insert into ${importRows} (import_id, row_number, email, outcome, mailbox_id, errors, warnings)
        select ${staged.importId}, ${staged.rowNumber}, ${staged.fields} ->> 'email', 'unchanged',
               ${staged.unchangedMailboxId}, '[]'::jsonb, ${staged.unchangedWarnings}
          from ${staged}
          join ${mailboxes} on ${mailboxes.id} = ${staged.unchangedMailboxId}
                           and ${mailboxes.version} = ${staged.unchangedBoxVersion}
         where ${staged.importId} = ${batch.importId}
           and ${staged.rowNumber} > ${batch.afterRow} and ${staged.rowNumber} <= ${batch.throughRow}
           and ${staged.unchangedStructureVersion} = ${batch.structureVersion}
        returning row_number`,
  );
  return new Set(rows.map((row) => row.row_number));
}
