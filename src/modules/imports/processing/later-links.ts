import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../../db/database';
import { recordAudits, type AuditEntry } from '../../../platform/audit/audit';
import { relaxCommitDurability } from '../imports.repository';
import { importActor, type ImportRun } from './import-run';

/** Rows read per transaction. */
const PAGE_SIZE = 500;

interface WrittenLink {
  ownerId: string;
  structureId: string;
  id: string;
  email: string;
  lastName: string;
  firstName: string;
  type: string;
  status: string;
  createdAt: string;
}

/**
 * Writes, among the links a page of applied rows lists, those missing, and answers them with the
 * linked box. Owners are the rows' boxes (`import_rows.mailbox_id`, rows created or updated
 * only); targets are found by e-mail in the structure, not deleted. Rows above had their links
 * written with their batch: those conflict and are skipped, so only links to rows further down
 * are new here, and running this again (a resumed job) writes nothing twice.
 */
function insertMissingLinks(
  importId: string,
  structureId: string,
  afterRow: number,
  throughRow: number,
  now: Date,
  link: { cell: string; table: SQL; ownerColumn: SQL; targetColumn: SQL; extraColumns: SQL; extraValues: SQL },
): SQL {
  const { cell, table, ownerColumn, targetColumn, extraColumns, extraValues } = link;
  return sql`
    with wanted as (
      select r.mailbox_id as owner_id, lower(named.email) as email
      from import_staged_rows s
      join import_rows r on r.import_id = s.import_id and r.row_number = s.row_number
      cross join lateral jsonb_array_elements_text(s.fields -> ${cell}) as named(email)
      where s.import_id = ${importId} and s.row_number > ${afterRow} and s.row_number <= ${throughRow}
        and r.outcome in ('created', 'updated') and r.mailbox_id is not null
        and jsonb_typeof(s.fields -> ${cell}) = 'array'
    ),
    inserted as (
      insert into ${table} (${ownerColumn}, ${targetColumn}, created_at${extraColumns})
      select w.owner_id, t.id, ${now.toISOString()}::timestamptz${extraValues}
      from wanted w
      join mailboxes t on t.email_key = w.email and t.structure_id = ${structureId} and t.status <> 'deleted'
      on conflict do nothing
      returning ${ownerColumn} as owner_id, ${targetColumn} as target_id, created_at
    )
    select i.owner_id as "ownerId", o.structure_id as "structureId", t.id, t.email,
           t.last_name as "lastName", t.first_name as "firstName", t.type, t.status,
           to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"
    from inserted i join mailboxes t on t.id = i.target_id join mailboxes o on o.id = i.owner_id`;
}

const DELEGATES = {
  cell: 'delegates',
  table: sql.raw('delegates'),
  ownerColumn: sql.raw('mailbox_id'),
  targetColumn: sql.raw('delegate_mailbox_id'),
  extraColumns: sql``,
  extraValues: sql``,
};
const CONNECTION_ACCOUNTS = {
  cell: 'connectionAccounts',
  table: sql.raw('connection_accounts'),
  ownerColumn: sql.raw('shared_mailbox_id'),
  targetColumn: sql.raw('account_mailbox_id'),
  extraColumns: sql`, is_default, notify_on_receipt`,
  extraValues: sql`, false, false`,
};

/** Whether any staged row lists links: most imports list none, and then this pass reads no page. */
async function hasLinkCells(executor: Executor, importId: string): Promise<boolean> {
  const [row] = await selectRows<{ found: boolean }>(
    executor,
    sql`select exists (
          select 1 from import_staged_rows where import_id = ${importId}
            and (jsonb_typeof(fields -> 'delegates') = 'array' or jsonb_typeof(fields -> 'connectionAccounts') = 'array')
        ) as found`,
  );
  return row?.found === true;
}

/** The last staged row of the page after `afterRow`, or null when none is left. */
async function pageEnd(executor: Executor, importId: string, afterRow: number): Promise<number | null> {
  const [row] = await selectRows<{ last: number | null }>(
    executor,
    sql`select max(row_number)::int as last from (
          select row_number from import_staged_rows where import_id = ${importId} and row_number > ${afterRow}
          order by row_number limit ${PAGE_SIZE}) page`,
  );
  return row?.last ?? null;
}

/**
 * The apply pass's last step: a row whose column AB or AH names a box that a row further down
 * creates could not link it in its batch (the box did not exist yet); once every row is applied,
 * those links are written, page by page in transactions of their own, each audited like the API's
 * (`delegate.added`, `connection_account.added`; cause: the import). Validation judged them with
 * the whole file in view; a named row that failed when applied (a concurrent change) has no box,
 * so no link is written to it.
 */
export async function applyLaterLinks(run: ImportRun): Promise<void> {
  const { deps, record } = run;
  if (!(await hasLinkCells(deps.db, record.id))) return;
  for (let afterRow = 0; ;) {
    const throughRow = await pageEnd(deps.db, record.id, afterRow);
    if (throughRow === null) return;
    await deps.db.transaction(async (tx) => {
      await relaxCommitDurability(tx);
      const now = deps.clock.now();
      const query = (link: typeof DELEGATES) =>
        insertMissingLinks(record.id, record.structureId, afterRow, throughRow, now, link);
      const delegates = await selectRows<WrittenLink>(tx, query(DELEGATES));
      const accounts = await selectRows<WrittenLink>(tx, query(CONNECTION_ACCOUNTS));
      const cause = { importId: record.id };
      const audits: AuditEntry[] = [
        ...delegates.map(({ ownerId, structureId, id, createdAt, ...box }) => ({
          action: 'delegate.added' as const,
          targetType: 'delegate',
          targetId: id,
          structureId,
          mailboxId: ownerId,
          cause,
          after: { delegateMailboxId: id, ...box, createdAt },
        })),
        ...accounts.map(({ ownerId, structureId, id, createdAt, ...box }) => ({
          action: 'connection_account.added' as const,
          targetType: 'connection_account',
          targetId: id,
          structureId,
          mailboxId: ownerId,
          cause,
          after: { mailboxId: id, ...box, isDefault: false, notifyOnReceipt: false, createdAt },
        })),
      ];
      await recordAudits(tx, deps.clock, importActor(record), audits);
    });
    afterRow = throughRow;
    await run.extendLease();
  }
}
