import type { Executor } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { recordAudit, type AuditActor } from '../../platform/audit/audit';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { AppError, businessRule } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import type { Clock } from '../../shared/clock';
import { assertIfMatch } from '../../shared/etag';
import { checkAddressReceivable } from '../../domain/mailbox-status';
import { assertMailboxEditable } from '../mailboxes/mailbox-assertions';
import { findMailbox, updateMailboxRow, type AddressRow, type MailboxRecord } from '../mailboxes';
import type { Correspondence } from '../mailboxes/mailboxes.schemas';
import { findStructure, type StructureRecord } from '../structures';
import { toStructure } from '../structures/structures.service';
import { resolveCorrespondence, type ResolvedCorrespondence } from './correspondence-rules';
import {
  findActiveAddressByValue,
  insertAddress,
  listWithdrawnAddresses,
  withdrawActiveAddress,
} from './correspondences.repository';
import type { CorrespondenceView, PutCorrespondenceBody } from './correspondences.schemas';
import { assertQuotaAvailable } from './quota';

/** The view and the box's version: the correspondence is part of the mailbox, so it shares its ETag. */
export interface VersionedCorrespondence {
  view: CorrespondenceView;
  version: number;
}

export const toCorrespondence = (row: AddressRow): Correspondence => ({
  localPart: row.localPart,
  domain: row.domain,
  address: row.address,
  isTest: row.isTest,
  assignedAt: row.assignedAt.toISOString(),
});

async function versionedView(
  executor: Executor,
  { mailbox, address }: MailboxRecord,
): Promise<VersionedCorrespondence> {
  const withdrawn = await listWithdrawnAddresses(executor, mailbox.id, mailbox.structureId);
  return {
    view: {
      mailboxId: mailbox.id,
      current: address ? toCorrespondence(address) : null,
      history: withdrawn.map((row) => ({ ...toCorrespondence(row), withdrawnAt: row.withdrawnAt!.toISOString() })),
    },
    version: mailbox.version,
  };
}

export function addressTaken(): AppError {
  return new AppError('ADDRESS_TAKEN', 'This MSSanté address is already the active address of another mailbox', [
    {
      field: 'localPart',
      code: 'ADDRESS_TAKEN',
      message: 'Each MSSanté address belongs to one mailbox at a time: choose another local part',
    },
  ]);
}

/** The active-address index has the last word over concurrent assignments of one address. */
export async function withAddressUniqueness<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'mssante_addresses_active_idx')) throw addressTaken();
    throw error;
  }
}

/**
 * Gives a box the address `wanted` (already through `resolveCorrespondence`); the same address
 * again is a no-op. The caller holds the box's row lock and the structure's (the quota count
 * must not race), and maps the unique index with `withAddressUniqueness`. Reused by the import.
 */
export async function assignCorrespondence(
  executor: Executor,
  clock: Clock,
  actor: AuditActor,
  record: MailboxRecord,
  structure: StructureRecord,
  wanted: ResolvedCorrespondence,
  cause: Record<string, unknown> | null = null,
): Promise<{ outcome: 'unchanged' | 'assigned' | 'changed'; record: MailboxRecord }> {
  const { mailbox, address: current } = record;
  if (current && current.address === wanted.address && current.isTest === mailbox.isTest)
    return { outcome: 'unchanged', record };
  const refusal = checkAddressReceivable(mailbox);
  if (refusal) throw businessRule('The mailbox cannot be given an MSSanté address in its state', [refusal]);
  const holder = await findActiveAddressByValue(executor, wanted.address);
  if (holder && holder.mailboxId !== mailbox.id) throw addressTaken();
  // A change keeps the box's place; only a box without an address takes a new one.
  if (!current) await assertQuotaAvailable(executor, toStructure(structure), mailbox.type);
  const now = clock.now();
  // The ANS never sees an address change: the old entry is withdrawn (kept as history) and a new one starts.
  if (current) await withdrawActiveAddress(executor, mailbox.id, now);
  const row = await insertAddress(executor, {
    mailboxId: mailbox.id,
    structureId: mailbox.structureId,
    ...wanted,
    isTest: mailbox.isTest,
    assignedAt: now,
  });
  const updated = await updateMailboxRow(executor, mailbox.id, mailbox.version, { updatedAt: now });
  if (!updated) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
  await recordAudit(executor, clock, actor, {
    action: current ? 'correspondence.changed' : 'correspondence.assigned',
    targetType: 'correspondence',
    targetId: mailbox.id,
    structureId: mailbox.structureId,
    mailboxId: mailbox.id,
    cause,
    before: current ? toCorrespondence(current) : null,
    after: toCorrespondence(row),
  });
  return { outcome: current ? 'changed' : 'assigned', record: { mailbox: updated, address: row } };
}

export async function getCorrespondence(
  deps: ServiceDependencies,
  context: RequestContext,
  record: MailboxRecord,
): Promise<VersionedCorrespondence> {
  assertStructureAccess(context.caller, record.mailbox.structureId, 'read', 'Mailbox');
  return versionedView(deps.db, record);
}

async function lockEditableMailbox(
  executor: Executor,
  context: RequestContext,
  mailboxId: string,
  ifMatch: number[] | '*' | undefined,
) {
  const record = await findMailbox(executor, mailboxId, { lock: true });
  if (!record) throw new AppError('NOT_FOUND', 'Mailbox not found');
  assertStructureAccess(context.caller, record.mailbox.structureId, 'write', 'Mailbox');
  assertIfMatch(ifMatch, record.mailbox.version);
  assertMailboxEditable(record.mailbox);
  return record;
}

export async function putCorrespondence(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  body: PutCorrespondenceBody,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedCorrespondence> {
  return withAddressUniqueness(() =>
    deps.db.transaction(async (tx) => {
      const record = await lockEditableMailbox(tx, context, mailboxId, ifMatch);
      // Locked (after the box: the order every writer follows) so that two boxes cannot both take the last place.
      const structure = await findStructure(tx, record.mailbox.structureId, { lock: true });
      if (!structure) throw new AppError('NOT_FOUND', 'Structure not found');
      const { issues, resolved } = resolveCorrespondence(record.mailbox.type, body, structure.domains);
      if (!resolved) throw businessRule('The MSSanté address does not meet the rules', issues);
      const assigned = await assignCorrespondence(tx, deps.clock, context.actor, record, structure, resolved);
      return versionedView(tx, assigned.record);
    }),
  );
}

/** Withdraws the box's address, keeping it as history; without one, nothing to do. */
export async function deleteCorrespondence(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedCorrespondence> {
  return deps.db.transaction(async (tx) => {
    const record = await lockEditableMailbox(tx, context, mailboxId, ifMatch);
    const { mailbox, address } = record;
    if (!address) return versionedView(tx, record);
    const now = deps.clock.now();
    await withdrawActiveAddress(tx, mailbox.id, now);
    const updated = await updateMailboxRow(tx, mailbox.id, mailbox.version, { updatedAt: now });
    if (!updated) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'correspondence.withdrawn',
      targetType: 'correspondence',
      targetId: mailbox.id,
      structureId: mailbox.structureId,
      mailboxId: mailbox.id,
      before: toCorrespondence(address),
      after: null,
    });
    return versionedView(tx, { mailbox: updated, address: null });
  });
}
