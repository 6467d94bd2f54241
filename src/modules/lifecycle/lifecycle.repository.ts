import { keyset } from '../../db/keyset';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { mailboxes, mssanteAddresses, notifications, structures } from '../../db/schema';
import type { MailboxStatus } from '../../domain/mailbox-vocabulary';
import type { AddressRow, MailboxRecord } from '../mailboxes';

const at = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;

/** The latest of last activity, creation, registration and restoration (greatest() skips nulls). */
export const signOfLifeSql = sql`greatest(${mailboxes.createdAt}, ${mailboxes.registeredAt}, ${mailboxes.lastActivityAt}, ${mailboxes.restoredAt})`;

/** The statuses an expiry date deactivates (as mailbox-status.ts's deactivate allows). */
export const EXPIRABLE_STATUSES: MailboxStatus[] = ['preregistered', 'pending', 'valid'];

/**
 * Moves last_activity_at forward, never back: one conditional UPDATE, so concurrent pings
 * serialise on the row and the latest instant wins. Writes nothing when not newer.
 */
export async function advanceLastActivity(executor: Executor, mailboxId: string, instant: Date): Promise<void> {
  await executor
    .update(mailboxes)
    .set({ lastActivityAt: sql`greatest(${mailboxes.lastActivityAt}, ${at(instant)})` })
    .where(
      and(
        eq(mailboxes.id, mailboxId),
        ne(mailboxes.status, 'deleted'),
        or(isNull(mailboxes.lastActivityAt), lt(mailboxes.lastActivityAt, instant)),
      ),
    );
}

const activeAddressJoin = and(eq(mssanteAddresses.mailboxId, mailboxes.id), isNull(mssanteAddresses.withdrawnAt));

/**
 * The next batch of boxes matching `condition`, after `afterId`, locked for this transaction.
 * SKIP LOCKED: a box another sweep (or a writer) holds is left to it, so two sweeps running at
 * once share the work; the lock re-checks the condition on the latest row version, so a box a
 * concurrent sweep already changed no longer qualifies.
 */
async function lockBatch(
  executor: Executor,
  condition: SQL | undefined,
  afterId: string | undefined,
  limit: number,
): Promise<MailboxRecord[]> {
  return executor
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(and(condition, afterId ? gt(mailboxes.id, afterId) : undefined))
    .orderBy(asc(mailboxes.id))
    .limit(limit)
    .for('update', { of: mailboxes, skipLocked: true });
}

/** Active boxes whose expiry date is `today` (UTC) or earlier. */
export const lockExpiredBatch = (executor: Executor, today: string, afterId: string | undefined, limit: number) =>
  lockBatch(
    executor,
    and(inArray(mailboxes.status, EXPIRABLE_STATUSES), lte(mailboxes.expiresAt, today)),
    afterId,
    limit,
  );

/** Boxes not deleted whose last sign of life is at or before `cutoff`. */
export const lockInactiveBatch = (executor: Executor, cutoff: Date, afterId: string | undefined, limit: number) =>
  lockBatch(executor, and(ne(mailboxes.status, 'deleted'), sql`${signOfLifeSql} <= ${at(cutoff)}`), afterId, limit);

/** Deleted boxes not purged yet, deleted at or before `cutoff`. */
export const lockPurgeableBatch = (executor: Executor, cutoff: Date, afterId: string | undefined, limit: number) =>
  lockBatch(
    executor,
    and(eq(mailboxes.status, 'deleted'), isNull(mailboxes.purgedAt), lte(mailboxes.deletedAt, cutoff)),
    afterId,
    limit,
  );

export interface WarningCandidate {
  id: string;
  structureId: string;
  email: string;
  firstName: string;
  lastName: string;
  createdAt: Date;
  registeredAt: Date | null;
  lastActivityAt: Date | null;
  restoredAt: Date | null;
  structureName: string;
  contactEmail: string | null;
}

/** Boxes whose last sign of life lies in (inactivityCutoff, warningCutoff]: a warning may be due. Keyset on (structure, id). */
export async function selectWarningCandidates(
  executor: Executor,
  window: { inactivityCutoff: Date; warningCutoff: Date },
  after: [string, string] | undefined,
  limit: number,
): Promise<WarningCandidate[]> {
  const keyOrder = keyset([mailboxes.structureId, mailboxes.id], 'asc', after);
  return executor
    .select({
      id: mailboxes.id,
      structureId: mailboxes.structureId,
      email: mailboxes.email,
      firstName: mailboxes.firstName,
      lastName: mailboxes.lastName,
      createdAt: mailboxes.createdAt,
      registeredAt: mailboxes.registeredAt,
      lastActivityAt: mailboxes.lastActivityAt,
      restoredAt: mailboxes.restoredAt,
      structureName: structures.name,
      contactEmail: structures.contactEmail,
    })
    .from(mailboxes)
    .innerJoin(structures, eq(structures.id, mailboxes.structureId))
    .where(
      and(
        ne(mailboxes.status, 'deleted'),
        sql`${signOfLifeSql} > ${at(window.inactivityCutoff)}`,
        sql`${signOfLifeSql} <= ${at(window.warningCutoff)}`,
        keyOrder.after,
      ),
    )
    .orderBy(...keyOrder.orderBy)
    .limit(limit);
}

/** The dedupe keys among `keys` that the outbox already used. */
export async function findUsedDedupeKeys(executor: Executor, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await executor
    .select({ key: notifications.dedupeKey })
    .from(notifications)
    .where(inArray(notifications.dedupeKey, keys));
  return new Set(rows.map((row) => row.key).filter((key): key is string => key !== null));
}

/** The address the deletion withdrew: the box's latest address, if withdrawn at or after the deletion. */
export async function findAddressWithdrawnByDeletion(
  executor: Executor,
  mailboxId: string,
  deletedAt: Date,
): Promise<AddressRow | undefined> {
  const [row] = await executor
    .select()
    .from(mssanteAddresses)
    .where(and(eq(mssanteAddresses.mailboxId, mailboxId), isNotNull(mssanteAddresses.withdrawnAt)))
    .orderBy(desc(mssanteAddresses.withdrawnAt), desc(mssanteAddresses.assignedAt))
    .limit(1);
  return row && row.withdrawnAt! >= deletedAt ? row : undefined;
}

/** A new active row for an address the box held before (history preserved: the old row stays withdrawn). */
export async function reassignAddress(
  executor: Executor,
  previous: AddressRow,
  structureId: string,
  assignedAt: Date,
): Promise<void> {
  await executor.insert(mssanteAddresses).values({
    mailboxId: previous.mailboxId,
    structureId,
    localPart: previous.localPart,
    domain: previous.domain,
    address: previous.address,
    isTest: previous.isTest,
    assignedAt,
  });
}
