import { and, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../../db/database';
import { connectionAccounts, delegates, mailboxes, mssanteAddresses } from '../../../db/schema';
import type { LoaduserRowFields } from '../../loaduser-sheet';
import type { ExistingBox } from './planning-context';

/** The database's side of a batch: the boxes its rows name and the addresses they ask for. */
export interface BatchSnapshot {
  boxes: Map<string, ExistingBox>;
  addressHolders: Map<string, string>;
}

/** Every e-mail a batch needs to know about: its rows' own and those of columns AB and AH. */
function emailsNamedBy(rows: readonly LoaduserRowFields[]): string[] {
  const emails = new Set<string>();
  for (const row of rows) {
    if (row.email) emails.add(row.email);
    for (const email of row.delegates ?? []) emails.add(email);
    for (const email of row.connectionAccounts ?? []) emails.add(email);
  }
  return [...emails];
}

/** Addresses a row may end up asking for: its local part on the given domain, or on each of the structure's. */
function candidateAddresses(rows: readonly LoaduserRowFields[], domains: readonly string[]): string[] {
  const addresses = new Set<string>();
  for (const row of rows) {
    const localPart = row.correspondenceLocalPart;
    if (localPart === undefined) continue;
    for (const domain of row.correspondenceDomain ? [row.correspondenceDomain] : domains)
      addresses.add(`${localPart}@${domain}`);
  }
  return [...addresses];
}

/**
 * `column = any(…)` for a long list, as one JSON parameter rather than one bind parameter per value.
 * An array, not `in (select …)`: that form lets the planner hash-join against every active row when
 * the table's statistics are older than an import's first batches (a scan growing with each batch),
 * where `= any` keeps to the column's index.
 */
const inJsonList = (column: PgColumn, values: readonly string[]): SQL =>
  sql`${column} = any(array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)))`;

const activeAddressJoin = and(eq(mssanteAddresses.mailboxId, mailboxes.id), isNull(mssanteAddresses.withdrawnAt));

/**
 * Loads the snapshot. With `lock`, the structure's boxes among them are locked for the batch's
 * transaction, so that what the plan compared is what the writes change.
 */
export async function loadBatchSnapshot(
  executor: Executor,
  rows: readonly LoaduserRowFields[],
  domains: readonly string[],
  options: { lock: boolean },
): Promise<BatchSnapshot> {
  const emails = emailsNamedBy(rows);
  const boxes = new Map<string, ExistingBox>();
  if (emails.length > 0) {
    const query = executor
      .select({ mailbox: mailboxes, address: mssanteAddresses })
      .from(mailboxes)
      .leftJoin(mssanteAddresses, activeAddressJoin)
      .where(and(inJsonList(mailboxes.emailKey, emails), ne(mailboxes.status, 'deleted')));
    const records = options.lock ? await query.for('update', { of: mailboxes }) : await query;
    for (const record of records)
      boxes.set(record.mailbox.emailKey, { record, delegates: [], connectionAccounts: [], linkedIds: new Map() });
    await attachLinks(executor, boxes);
  }
  const addressHolders = new Map<string, string>();
  const candidates = candidateAddresses(rows, domains);
  if (candidates.length > 0) {
    const holders = await executor
      .select({ address: mssanteAddresses.address, mailboxId: mssanteAddresses.mailboxId })
      .from(mssanteAddresses)
      .where(and(inJsonList(mssanteAddresses.address, candidates), isNull(mssanteAddresses.withdrawnAt)));
    for (const holder of holders) addressHolders.set(holder.address, holder.mailboxId);
  }
  return { boxes, addressHolders };
}

/** The delegates and connection accounts of the loaded boxes, as lower-case e-mails. */
async function attachLinks(executor: Executor, boxes: Map<string, ExistingBox>): Promise<void> {
  const byId = new Map([...boxes.values()].map((box) => [box.record.mailbox.id, box]));
  const ids = [...byId.keys()];
  if (ids.length === 0) return;
  const delegateRows = await executor
    .select({ ownerId: delegates.mailboxId, id: mailboxes.id, email: mailboxes.emailKey })
    .from(delegates)
    .innerJoin(mailboxes, eq(mailboxes.id, delegates.delegateMailboxId))
    .where(inArray(delegates.mailboxId, ids));
  for (const row of delegateRows) {
    const owner = byId.get(row.ownerId);
    owner?.delegates.push(row.email);
    owner?.linkedIds.set(row.email, row.id);
  }
  const accountRows = await executor
    .select({ ownerId: connectionAccounts.sharedMailboxId, id: mailboxes.id, email: mailboxes.emailKey })
    .from(connectionAccounts)
    .innerJoin(mailboxes, eq(mailboxes.id, connectionAccounts.accountMailboxId))
    .where(inArray(connectionAccounts.sharedMailboxId, ids));
  for (const row of accountRows) {
    const owner = byId.get(row.ownerId);
    owner?.connectionAccounts.push(row.email);
    owner?.linkedIds.set(row.email, row.id);
  }
}
