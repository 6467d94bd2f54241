import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/database';
import { preparedPerHandle } from '../../db/prepared-statements';
import { emailChangeRequests, mailboxes, mssanteAddresses } from '../../db/schema';

export type MailboxRow = typeof mailboxes.$inferSelect;
export type MailboxInsert = typeof mailboxes.$inferInsert;
export type AddressRow = typeof mssanteAddresses.$inferSelect;
/** A box with its active MSSanté address, as every read returns it. */
export interface MailboxRecord {
  mailbox: MailboxRow;
  address: AddressRow | null;
}

export const activeAddressJoin = and(
  eq(mssanteAddresses.mailboxId, mailboxes.id),
  isNull(mssanteAddresses.withdrawnAt),
);

function prepareFindMailbox(db: Database) {
  return db
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(eq(mailboxes.id, sql.placeholder('id')))
    .prepare('find_mailbox_by_id');
}
// GET /v1/mailboxes/{id} is a hot path: one prepared statement per database handle.
const preparedFind = preparedPerHandle(prepareFindMailbox);

export async function findMailboxPrepared(db: Database, id: string): Promise<MailboxRecord | undefined> {
  const [row] = await preparedFind(db).execute({ id });
  return row;
}

/** Inside a transaction, optionally locking the box against concurrent writers. */
export async function findMailbox(
  executor: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<MailboxRecord | undefined> {
  const query = executor
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(eq(mailboxes.id, id));
  const [row] = options.lock ? await query.for('update', { of: mailboxes }) : await query;
  return row;
}

/** The box that holds this e-mail (deleted ones do not hold theirs). */
export async function findMailboxIdByEmail(
  executor: Executor,
  email: string,
): Promise<{ id: string; structureId: string } | undefined> {
  const [row] = await executor
    .select({ id: mailboxes.id, structureId: mailboxes.structureId })
    .from(mailboxes)
    .where(and(eq(mailboxes.emailKey, email.toLowerCase()), ne(mailboxes.status, 'deleted')));
  return row;
}

/**
 * The boxes with these ids, and the boxes not deleted holding these e-mail keys, locked FOR SHARE
 * in id order.
 */
export async function lockMailboxesByIdOrEmailKey(
  executor: Executor,
  ids: readonly string[],
  emailKeys: readonly string[],
): Promise<MailboxRow[]> {
  return executor
    .select()
    .from(mailboxes)
    .where(
      or(
        ids.length > 0 ? inArray(mailboxes.id, ids) : undefined,
        emailKeys.length > 0 ? and(inArray(mailboxes.emailKey, emailKeys), ne(mailboxes.status, 'deleted')) : undefined,
      ),
    )
    .orderBy(mailboxes.id)
    .for('share');
}

/** The box whose pending registration this token hash opens, if any. */
export async function findMailboxIdByRegistrationTokenHash(
  executor: Executor,
  tokenHash: string,
): Promise<{ id: string } | undefined> {
  const [row] = await executor
    .select({ id: mailboxes.id })
    .from(mailboxes)
    .where(eq(mailboxes.registrationTokenHash, tokenHash));
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
