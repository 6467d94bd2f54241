import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Database, type Executor } from '../../db/database';
import { emailChangeRequests, mailboxes, mssanteAddresses } from '../../db/schema';
import { escapeLike } from '../structures/structures.repository';
import type { MailboxStatus, MailboxType } from './mailbox-type';
import type { MailboxSort } from './mailboxes.schemas';

export type MailboxRow = typeof mailboxes.$inferSelect;
export type MailboxInsert = typeof mailboxes.$inferInsert;
export type AddressRow = typeof mssanteAddresses.$inferSelect;
/** A box with its active MSSanté address, as every read returns it. */
export interface MailboxRecord {
  mailbox: MailboxRow;
  address: AddressRow | null;
}

const activeAddressJoin = and(eq(mssanteAddresses.mailboxId, mailboxes.id), isNull(mssanteAddresses.withdrawnAt));

function prepareFindMailbox(db: Database) {
  return db
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(eq(mailboxes.id, sql.placeholder('id')))
    .prepare('find_mailbox_by_id');
}
// GET /v1/mailboxes/{id} is a hot path: one prepared statement per database handle.
const preparedFinds = new WeakMap<Database, ReturnType<typeof prepareFindMailbox>>();

export async function findMailboxPrepared(db: Database, id: string): Promise<MailboxRecord | undefined> {
  let find = preparedFinds.get(db);
  if (!find) {
    find = prepareFindMailbox(db);
    preparedFinds.set(db, find);
  }
  const [row] = await find.execute({ id });
  return row;
}

/** Inside a transaction, optionally locking the box against concurrent writers. */
export async function findMailbox(executor: Executor, id: string, options: { lock?: boolean } = {}): Promise<MailboxRecord | undefined> {
  const query = executor
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(eq(mailboxes.id, id));
  const [row] = options.lock ? await query.for('update', { of: mailboxes }) : await query;
  return row;
}

export async function findMailboxesByIds(executor: Executor, ids: readonly string[]): Promise<MailboxRow[]> {
  if (ids.length === 0) return [];
  return executor.select().from(mailboxes).where(inArray(mailboxes.id, [...ids]));
}

/** The box that holds this e-mail (deleted ones do not hold theirs). */
export async function findMailboxIdByEmail(executor: Executor, email: string): Promise<{ id: string; structureId: string } | undefined> {
  const [row] = await executor
    .select({ id: mailboxes.id, structureId: mailboxes.structureId })
    .from(mailboxes)
    .where(and(eq(mailboxes.emailKey, email.toLowerCase()), ne(mailboxes.status, 'deleted')));
  return row;
}

export async function insertMailbox(executor: Executor, values: MailboxInsert): Promise<MailboxRow> {
  const [row] = await executor.insert(mailboxes).values(values).returning();
  return row!;
}

/** Compare-and-set on the version; undefined when another writer got there first. */
export async function updateMailboxRow(
  executor: Executor,
  id: string,
  expectedVersion: number,
  values: Partial<MailboxInsert>,
): Promise<MailboxRow | undefined> {
  const [row] = await executor
    .update(mailboxes)
    .set({ ...values, version: sql`${mailboxes.version} + 1` })
    .where(and(eq(mailboxes.id, id), eq(mailboxes.version, expectedVersion)))
    .returning();
  return row;
}

export interface MailboxListFilters {
  visibleStructureIds: readonly string[] | undefined;
  structureId?: string;
  status?: MailboxStatus;
  type?: MailboxType;
  /** Already normalised words of the search. */
  searchWords: string[];
  sort: MailboxSort;
  after: (string | number | null)[] | undefined;
  limit: number;
}

/** The columns each sort orders by, the last always the id so the order is total. */
export function sortColumnsOf(sort: MailboxSort) {
  const name = sort.replace(/^-/, '');
  const columns =
    name === 'email'
      ? [mailboxes.emailKey, mailboxes.id]
      : name === 'createdAt'
        ? [mailboxes.createdAt, mailboxes.id]
        : [mailboxes.lastNameKey, mailboxes.firstNameKey, mailboxes.id];
  return { columns, descending: sort.startsWith('-') };
}

/**
 * What a search matches, one branch per index: e-mail, RPPS, ADELI, names (every word must begin
 * the last or the first name: "dupont je" finds Jean Dupont) and MSSanté address. Each branch is
 * ordered and limited on its own so that PostgreSQL plans it on its own index (an OR over all of
 * them defeats the planner's estimates); the page is the top of their union.
 */
function searchBranches(words: string[]): { condition: SQL; viaAddress: boolean }[] {
  const whole = escapeLike(words.join(' ')) + '%';
  const nameMatch = and(
    ...words.map((word) => {
      const prefix = escapeLike(word) + '%';
      return sql`(${mailboxes.lastNameKey} like ${prefix} or ${mailboxes.firstNameKey} like ${prefix})`;
    }),
  )!;
  const branches = [
    { condition: sql`${mailboxes.emailKey} like ${whole}`, viaAddress: false },
    { condition: sql`${mssanteAddresses.address} like ${whole} and ${mssanteAddresses.withdrawnAt} is null`, viaAddress: true },
  ];
  if (words.length === 1) {
    const prefix = escapeLike(words[0]!) + '%';
    branches.push(
      { condition: sql`${mailboxes.lastNameKey} like ${prefix}`, viaAddress: false },
      { condition: sql`${mailboxes.firstNameKey} like ${prefix}`, viaAddress: false },
    );
  } else {
    branches.push({ condition: nameMatch, viaAddress: false });
  }
  if (/^\d+$/.test(words[0] ?? '') && words.length === 1) {
    branches.push(
      { condition: sql`${mailboxes.rpps} like ${whole}`, viaAddress: false },
      { condition: sql`${mailboxes.adeli} like ${whole}`, viaAddress: false },
    );
  }
  return branches;
}

function afterCursorCondition(filters: MailboxListFilters, columns: ReturnType<typeof sortColumnsOf>['columns'], descending: boolean) {
  if (!filters.after) return undefined;
  const values = filters.after.map((value, index) =>
    columns[index] === mailboxes.createdAt ? sql`${value}::timestamptz` : index === columns.length - 1 ? sql`${value}::uuid` : sql`${value}`,
  );
  return sql`(${sql.join(columns, sql`, `)}) ${sql.raw(descending ? '<' : '>')} (${sql.join(values, sql`, `)})`;
}

export async function listMailboxes(executor: Executor, filters: MailboxListFilters): Promise<MailboxRecord[]> {
  const { columns, descending } = sortColumnsOf(filters.sort);
  const order = sql.join(columns.map((column) => sql`${column} ${sql.raw(descending ? 'desc' : 'asc')}`), sql`, `);
  const common = and(
    filters.visibleStructureIds ? inArray(mailboxes.structureId, [...filters.visibleStructureIds]) : undefined,
    filters.structureId ? eq(mailboxes.structureId, filters.structureId) : undefined,
    // Deleted boxes only show when asked for.
    filters.status ? eq(mailboxes.status, filters.status) : ne(mailboxes.status, 'deleted'),
    filters.type ? eq(mailboxes.type, filters.type) : undefined,
    afterCursorCondition(filters, columns, descending),
  );
  const pageSize = filters.limit + 1;
  if (filters.searchWords.length === 0) {
    return executor
      .select({ mailbox: mailboxes, address: mssanteAddresses })
      .from(mailboxes)
      .leftJoin(mssanteAddresses, activeAddressJoin)
      .where(common)
      .orderBy(...columns.map((column) => (descending ? desc(column) : asc(column))))
      .limit(pageSize);
  }
  const branches = searchBranches(filters.searchWords).map(
    ({ condition, viaAddress }) => sql`(select ${mailboxes.id} as id from ${viaAddress ? sql`${mssanteAddresses} join ${mailboxes} on ${mailboxes.id} = ${mssanteAddresses.mailboxId}` : mailboxes}
      where ${common} and ${condition} order by ${order} limit ${pageSize})`,
  );
  const pageIds = await selectRows<{ id: string }>(executor, sql`select distinct id from (${sql.join(branches, sql` union all `)}) matches`);
  if (pageIds.length === 0) return [];
  // The union's rows are at most (branches × page size): sort them and keep the page.
  return executor
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(inArray(mailboxes.id, pageIds.map((row) => row.id)))
    .orderBy(...columns.map((column) => (descending ? desc(column) : asc(column))))
    .limit(pageSize);
}

export async function countMailboxesByStatus(executor: Executor, structureIds: readonly string[] | undefined) {
  const scope = structureIds ? inArray(mailboxes.structureId, [...structureIds]) : undefined;
  const byStatus = await executor
    .select({ status: mailboxes.status, count: sql<number>`count(*)::int` })
    .from(mailboxes)
    .where(scope)
    .groupBy(mailboxes.status);
  const [requests] = await executor
    .select({ count: sql<number>`count(*)::int` })
    .from(emailChangeRequests)
    .where(
      and(
        eq(emailChangeRequests.status, 'pending'),
        structureIds ? inArray(emailChangeRequests.structureId, [...structureIds]) : undefined,
      ),
    );
  return { byStatus, pendingEmailChangeRequests: requests?.count ?? 0 };
}
