import { keyset } from '../../db/keyset';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { emailChangeRequests } from '../../db/schema';
import type { EmailChangeRequestListQuery } from './email-change-requests.schemas';

export type EmailChangeRequestRow = typeof emailChangeRequests.$inferSelect;
export type EmailChangeRequestInsert = typeof emailChangeRequests.$inferInsert;

export async function findEmailChangeRequest(
  executor: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<EmailChangeRequestRow | undefined> {
  const query = executor.select().from(emailChangeRequests).where(eq(emailChangeRequests.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** The one pending request of a box, if any (a partial unique index allows no second one). */
export async function findPendingRequestOfMailbox(
  executor: Executor,
  mailboxId: string,
): Promise<EmailChangeRequestRow | undefined> {
  const [row] = await executor
    .select()
    .from(emailChangeRequests)
    .where(and(eq(emailChangeRequests.mailboxId, mailboxId), eq(emailChangeRequests.status, 'pending')));
  return row;
}

/** Whether a pending request already asks for this address, case-insensitively. */
export async function isEmailPendingInRequest(executor: Executor, email: string): Promise<boolean> {
  const [row] = await executor
    .select({ id: emailChangeRequests.id })
    .from(emailChangeRequests)
    .where(
      and(
        sql`lower(${emailChangeRequests.newEmail}) = ${email.toLowerCase()}`,
        eq(emailChangeRequests.status, 'pending'),
      ),
    );
  return row !== undefined;
}

export async function insertEmailChangeRequest(
  executor: Executor,
  values: EmailChangeRequestInsert,
): Promise<EmailChangeRequestRow> {
  const [row] = await executor.insert(emailChangeRequests).values(values).returning();
  return row!;
}

/** Compare-and-set on the version; undefined when another writer got there first. */
export async function updateEmailChangeRequestRow(
  executor: Executor,
  id: string,
  expectedVersion: number,
  values: Partial<EmailChangeRequestInsert>,
): Promise<EmailChangeRequestRow | undefined> {
  const [row] = await executor
    .update(emailChangeRequests)
    .set({ ...values, version: sql`${emailChangeRequests.version} + 1` })
    .where(and(eq(emailChangeRequests.id, id), eq(emailChangeRequests.version, expectedVersion)))
    .returning();
  return row;
}

/** A box's requests follow it to another structure: its history and pending request belong to the box. */
export async function moveEmailChangeRequests(
  executor: Executor,
  mailboxId: string,
  structureId: string,
): Promise<void> {
  await executor.update(emailChangeRequests).set({ structureId }).where(eq(emailChangeRequests.mailboxId, mailboxId));
}

/** Newest first; `after` is the (createdAt, id) of the previous page's last row. */
export async function selectEmailChangeRequests(
  executor: Executor,
  filters: EmailChangeRequestListQuery & {
    visibleStructureIds: readonly string[] | undefined;
    after: (string | number | null)[] | undefined;
    limit: number;
  },
): Promise<EmailChangeRequestRow[]> {
  const { after } = filters;
  const keyOrder = keyset([emailChangeRequests.createdAt, emailChangeRequests.id], 'desc', after);
  return executor
    .select()
    .from(emailChangeRequests)
    .where(
      and(
        filters.visibleStructureIds
          ? inArray(emailChangeRequests.structureId, [...filters.visibleStructureIds])
          : undefined,
        filters.structureId ? eq(emailChangeRequests.structureId, filters.structureId) : undefined,
        filters.mailboxId ? eq(emailChangeRequests.mailboxId, filters.mailboxId) : undefined,
        filters.status ? eq(emailChangeRequests.status, filters.status) : undefined,
        keyOrder.after,
      ),
    )
    .orderBy(...keyOrder.orderBy)
    .limit(filters.limit + 1);
}
