import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { mailboxes, mssanteAddresses } from '../../db/schema';
import { ADDRESS_HOLDING_STATUSES } from '../../domain/mailbox-status';
import type { MailboxType } from '../../domain/mailbox-vocabulary';
import type { AddressRow } from '../mailboxes';

/**
 * Active addresses of the structure's boxes whose status may hold one (`ADDRESS_HOLDING_STATUSES`),
 * counted per box type: an address left on a box of another status (written before the rule) takes no place.
 */
export async function countActiveAddressesByType(
  executor: Executor,
  structureId: string,
): Promise<{ type: MailboxType; count: number }[]> {
  return executor
    .select({ type: mailboxes.type, count: sql<number>`count(*)::int` })
    .from(mssanteAddresses)
    .innerJoin(mailboxes, eq(mailboxes.id, mssanteAddresses.mailboxId))
    .where(
      and(
        eq(mailboxes.structureId, structureId),
        isNull(mssanteAddresses.withdrawnAt),
        inArray(mailboxes.status, [...ADDRESS_HOLDING_STATUSES]),
      ),
    )
    .groupBy(mailboxes.type);
}

/** The active address holding `address`, whichever box it belongs to. */
export async function findActiveAddressByValue(executor: Executor, address: string): Promise<AddressRow | undefined> {
  const [row] = await executor
    .select()
    .from(mssanteAddresses)
    .where(and(eq(mssanteAddresses.address, address), isNull(mssanteAddresses.withdrawnAt)));
  return row;
}

/** The withdrawn addresses a box held in a structure, newest first. */
export async function listWithdrawnAddresses(
  executor: Executor,
  mailboxId: string,
  structureId: string,
): Promise<AddressRow[]> {
  return executor
    .select()
    .from(mssanteAddresses)
    .where(
      and(
        eq(mssanteAddresses.mailboxId, mailboxId),
        eq(mssanteAddresses.structureId, structureId),
        isNotNull(mssanteAddresses.withdrawnAt),
      ),
    )
    .orderBy(desc(mssanteAddresses.assignedAt), desc(mssanteAddresses.id));
}

export async function insertAddress(
  executor: Executor,
  values: typeof mssanteAddresses.$inferInsert,
): Promise<AddressRow> {
  const [row] = await executor.insert(mssanteAddresses).values(values).returning();
  return row!;
}

/** Withdraws the box's active address (kept as history): the directory feed drops it, and it is free for others. */
export async function withdrawActiveAddress(executor: Executor, mailboxId: string, at: Date): Promise<void> {
  await executor
    .update(mssanteAddresses)
    .set({ withdrawnAt: at })
    .where(and(eq(mssanteAddresses.mailboxId, mailboxId), isNull(mssanteAddresses.withdrawnAt)));
}

/** A test account's address is a test address (never published): the active address's flag follows its box's. */
export async function setActiveAddressTestFlag(
  executor: Executor,
  mailboxId: string,
  isTest: boolean,
): Promise<AddressRow | undefined> {
  const [row] = await executor
    .update(mssanteAddresses)
    .set({ isTest })
    .where(and(eq(mssanteAddresses.mailboxId, mailboxId), isNull(mssanteAddresses.withdrawnAt)))
    .returning();
  return row;
}

/** The active address follows its box to another structure (the target owns its domain). */
export async function moveActiveAddress(executor: Executor, mailboxId: string, structureId: string): Promise<void> {
  await executor
    .update(mssanteAddresses)
    .set({ structureId })
    .where(and(eq(mssanteAddresses.mailboxId, mailboxId), isNull(mssanteAddresses.withdrawnAt)));
}
