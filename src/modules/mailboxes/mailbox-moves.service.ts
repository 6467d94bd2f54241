import { recordAudit } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { moveActiveAddress, withdrawActiveAddress } from '../correspondences';
import { assertQuotaAvailable, quotaFamilyOf } from '../correspondences/quota';
import { moveEmailChangeRequests } from '../email-change-requests';
import { findStructure } from '../structures';
import { toStructure } from '../structures/structures.service';
import { assertExpiryRequirement, assertMailboxFields, lockMailboxForWrite } from './mailbox-assertions';
import { removeAllLinks, removeNominativeLinks, removeSharedLinks } from './mailbox-links.repository';
import { mergeFields, normaliseFields, toColumns, toMailbox } from './mailbox-mapper';
import { NOMINATIVE_TYPES, type MailboxType } from '../../domain/mailbox-vocabulary';
import { checkAddressType, statusMayHoldAddress } from '../../domain/mailbox-status';
import { findMailbox, updateMailboxRow } from './mailboxes.repository';
import type { TypeChangeBody } from './mailboxes.schemas';
import { versioned, type VersionedMailbox } from './mailboxes.service';

const isNominative = (type: MailboxType) => NOMINATIVE_TYPES.includes(type);

/** Fields the new type forbids are dropped unless the caller sets them (then the rules judge). */
function fieldsDroppedBy(type: MailboxType) {
  return isNominative(type) ? { responsible: null, description: null } : { rpps: null, adeli: null };
}

export async function changeMailboxType(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  body: TypeChangeBody,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedMailbox> {
  const changes = normaliseFields(body);
  return deps.db.transaction(async (tx) => {
    const current = await lockMailboxForWrite(tx, context.caller, mailboxId, ifMatch);
    const { mailbox } = current;
    if (changes.type === mailbox.type) {
      throw new AppError('BUSINESS_RULE_VIOLATED', `The mailbox is already of type ${mailbox.type}`, [
        { field: 'type', code: 'TYPE_UNCHANGED', message: 'Choose another type' },
      ]);
    }
    const merged = mergeFields(mailbox, { ...fieldsDroppedBy(changes.type), ...changes });
    assertMailboxFields(merged);
    await assertExpiryRequirement(tx, merged, mailbox.structureId);
    if (current.address) {
      const typeIssue = checkAddressType(changes.type);
      if (typeIssue) {
        throw new AppError('BUSINESS_RULE_VIOLATED', 'A MED box has no MSSanté address: remove it first', [
          { ...typeIssue, message: 'DELETE the correspondence, then change the type' },
        ]);
      }
      // Only an address the quota counts (its box's status may hold one) takes a place in the new family.
      if (statusMayHoldAddress(mailbox.status) && quotaFamilyOf(changes.type) !== quotaFamilyOf(mailbox.type)) {
        const structure = await findStructure(tx, mailbox.structureId, { lock: true });
        await assertQuotaAvailable(tx, toStructure(structure!), changes.type);
      }
    }
    const removedLinks =
      isNominative(mailbox.type) && !isNominative(changes.type)
        ? await removeNominativeLinks(tx, mailboxId)
        : !isNominative(mailbox.type) && isNominative(changes.type)
          ? await removeSharedLinks(tx, mailboxId)
          : { delegates: 0, connectionAccounts: 0 };
    const row = await updateMailboxRow(tx, mailboxId, mailbox.version, {
      ...toColumns(merged),
      updatedAt: deps.clock.now(),
    });
    if (!row) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
    const updated = { mailbox: row, address: current.address };
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'mailbox.type_changed',
      targetType: 'mailbox',
      targetId: mailboxId,
      structureId: row.structureId,
      mailboxId,
      cause: { removedLinks },
      before: toMailbox(current),
      after: toMailbox(updated),
    });
    return versioned(updated);
  });
}

/**
 * Attaches a box to another structure. Its MSSanté address follows only when the target owns
 * the address's domain (and has room in its quota); otherwise the address is withdrawn and the
 * admin gives it a new one on a domain of the target. Connection accounts and delegates never
 * cross structures, so they are removed.
 */
export async function transferMailbox(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  targetStructureId: string,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedMailbox> {
  return deps.db.transaction(async (tx) => {
    const current = await lockMailboxForWrite(tx, context.caller, mailboxId, ifMatch);
    const { mailbox, address } = current;
    if (mailbox.structureId === targetStructureId) {
      throw new AppError('BUSINESS_RULE_VIOLATED', 'The mailbox already belongs to this structure', [
        { field: 'structureId', code: 'SAME_STRUCTURE', message: 'Choose another structure' },
      ]);
    }
    const target = await findStructure(tx, targetStructureId, { lock: true });
    if (!target) throw new AppError('NOT_FOUND', 'Structure not found');
    await assertExpiryRequirement(tx, mailbox, targetStructureId);
    const keepsAddress = address !== null && target.domains.includes(address.domain);
    if (keepsAddress) await assertQuotaAvailable(tx, toStructure(target), mailbox.type);
    else if (address) await withdrawActiveAddress(tx, mailboxId, deps.clock.now());
    const removedLinks = await removeAllLinks(tx, mailboxId);
    // Change-of-mail requests belong to the box: they follow it (and leave the source structure's list).
    await moveEmailChangeRequests(tx, mailboxId, targetStructureId);
    const row = await updateMailboxRow(tx, mailboxId, mailbox.version, {
      structureId: targetStructureId,
      updatedAt: deps.clock.now(),
    });
    if (!row) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
    if (keepsAddress) await moveActiveAddress(tx, mailboxId, targetStructureId);
    const updated = await findMailbox(tx, mailboxId);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'mailbox.transferred',
      targetType: 'mailbox',
      targetId: mailboxId,
      structureId: targetStructureId,
      mailboxId,
      cause: {
        fromStructureId: mailbox.structureId,
        addressWithdrawn: address !== null && !keepsAddress,
        removedLinks,
      },
      before: toMailbox(current),
      after: toMailbox(updated!),
    });
    // The source structure's trail records the departure too.
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'mailbox.transferred_out',
      targetType: 'mailbox',
      targetId: mailboxId,
      structureId: mailbox.structureId,
      mailboxId,
      cause: { toStructureId: targetStructureId },
      before: toMailbox(current),
      after: null,
    });
    return versioned(updated!);
  });
}
