import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db/database';
import { directoryEntries, directoryFeedState } from '../../db/schema';

export type DirectoryEntryRow = typeof directoryEntries.$inferSelect;
export type FeedState = typeof directoryFeedState.$inferSelect;

const STATE_ID = 1;

/** The feed's state row, locked until the end of the transaction: refreshes run one at a time. */
export async function lockFeedState(executor: Executor): Promise<FeedState> {
  await executor.insert(directoryFeedState).values({ id: STATE_ID }).onConflictDoNothing();
  const [state] = await executor
    .select()
    .from(directoryFeedState)
    .where(eq(directoryFeedState.id, STATE_ID))
    .for('update');
  return state!;
}

export async function readFeedState(executor: Executor): Promise<FeedState | undefined> {
  const [state] = await executor.select().from(directoryFeedState).where(eq(directoryFeedState.id, STATE_ID));
  return state;
}

export async function saveFeedState(
  executor: Executor,
  values: Pick<FeedState, 'lastSequence' | 'refreshedAt' | 'publishedCount'>,
): Promise<void> {
  await executor.update(directoryFeedState).set(values).where(eq(directoryFeedState.id, STATE_ID));
}

export interface KnownEntry {
  hash: string;
  withdrawn: boolean;
}

export const entryKey = (address: string, ansType: string) => `${ansType} ${address}`;

/** What the feed holds, by key: enough to diff (a hash), not the entries themselves. */
export async function loadKnownEntries(executor: Executor): Promise<Map<string, KnownEntry>> {
  const rows = await selectRows<{ address: string; ans_type: string; content_hash: string; withdrawn: boolean }>(
    executor,
    sql`
    select address, ans_type, content_hash, withdrawn_at is not null as withdrawn from directory_entries`,
  );
  return new Map(
    rows.map((row) => [entryKey(row.address, row.ans_type), { hash: row.content_hash, withdrawn: row.withdrawn }]),
  );
}

export type PublishedEntry = Omit<DirectoryEntryRow, 'withdrawnAt' | 'publishedAt' | 'changedAt'>;

/**
 * Adds or changes entries, one statement per batch (array parameters unnested server-side). A
 * re-published entry (withdrawn before) starts a new publication: `publishedAt` moves to now; a
 * changed one keeps its `publishedAt`. Every row of a batch shares `at`.
 */
export async function upsertEntries(executor: Executor, rows: readonly PublishedEntry[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (row: PublishedEntry) => T) => sql.param(rows.map(pick));
  const instant = sql`${at.toISOString()}::timestamptz`;
  await executor.execute(sql`
    insert into directory_entries (address, ans_type, mailbox_id, structure_id, entry, content_hash, sequence, published_at, changed_at, withdrawn_at)
    select address, ans_type, mailbox_id, structure_id, entry::jsonb, content_hash, sequence, ${instant}, ${instant}, null
      from unnest(${column((row) => row.address)}::text[], ${column((row) => row.ansType)}::text[],
                  ${column((row) => row.mailboxId)}::uuid[], ${column((row) => row.structureId)}::uuid[],
                  ${column((row) => JSON.stringify(row.entry))}::text[], ${column((row) => row.contentHash)}::text[],
                  ${column((row) => String(row.sequence))}::bigint[])
        as changed(address, ans_type, mailbox_id, structure_id, entry, content_hash, sequence)
    on conflict (address, ans_type) do update set
      mailbox_id = excluded.mailbox_id, structure_id = excluded.structure_id, entry = excluded.entry,
      content_hash = excluded.content_hash, sequence = excluded.sequence, changed_at = excluded.changed_at,
      published_at = case when directory_entries.withdrawn_at is null then directory_entries.published_at else excluded.published_at end,
      withdrawn_at = null`);
}

export interface Withdrawal {
  address: string;
  ansType: string;
  sequence: number;
}

/** What a withdrawal took out of the feed: the entry as it was published, for its event. */
export interface WithdrawnEntry {
  address: string;
  structureId: string;
  mailboxId: string | null;
  entry: unknown;
}

export async function withdrawEntries(
  executor: Executor,
  withdrawals: readonly Withdrawal[],
  at: Date,
): Promise<WithdrawnEntry[]> {
  if (withdrawals.length === 0) return [];
  const column = <T>(pick: (withdrawal: Withdrawal) => T) => sql.param(withdrawals.map(pick));
  return selectRows<WithdrawnEntry>(
    executor,
    sql`
    update directory_entries d
       set withdrawn_at = ${at.toISOString()}::timestamptz, changed_at = ${at.toISOString()}::timestamptz, sequence = w.sequence
      from unnest(${column((w) => w.address)}::text[], ${column((w) => w.ansType)}::text[], ${column((w) => String(w.sequence))}::bigint[])
        as w(address, ans_type, sequence)
     where d.address = w.address and d.ans_type = w.ans_type
     returning d.address, d.structure_id as "structureId", d.mailbox_id as "mailboxId", d.entry`,
  );
}

export interface EntryListFilters {
  visibleStructureIds: readonly string[] | undefined;
  structureId?: string;
  /** Changes mode: withdrawn entries are listed too. */
  includeWithdrawn: boolean;
  afterSequence: number;
  changedAfter?: Date;
  limit: number;
}

/** In sequence order: every change moves an entry to the end, so paging never skips one. */
export async function listEntries(executor: Executor, filters: EntryListFilters): Promise<DirectoryEntryRow[]> {
  const conditions: (SQL | undefined)[] = [
    filters.visibleStructureIds ? inArray(directoryEntries.structureId, [...filters.visibleStructureIds]) : undefined,
    filters.structureId ? eq(directoryEntries.structureId, filters.structureId) : undefined,
    filters.includeWithdrawn ? undefined : isNull(directoryEntries.withdrawnAt),
    gt(directoryEntries.sequence, filters.afterSequence),
    filters.changedAfter ? gt(directoryEntries.changedAt, filters.changedAfter) : undefined,
  ];
  return executor
    .select()
    .from(directoryEntries)
    .where(and(...conditions))
    .orderBy(asc(directoryEntries.sequence))
    .limit(filters.limit + 1);
}
