import type { Transaction } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { recordAudit } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { findActiveAddressByValue } from '../correspondences';
import { assertQuotaAvailable } from '../correspondences/quota';
import { emailTaken, lockMailboxForWrite } from '../mailboxes/mailbox-assertions';
import { toMailbox } from '../mailboxes/mailbox-mapper';
import { nextStatus, statusMayHoldAddress } from '../../domain/mailbox-status';
import { invalidTransition } from '../mailboxes/mailbox-status.service';
import { findMailbox, findMailboxIdByEmail, updateMailboxRow, type AddressRow, type MailboxRow } from '../mailboxes';
import { versioned, type VersionedMailbox } from '../mailboxes/mailboxes.service';
import { findStructure } from '../structures';
import { retentionCutoff, type LifecyclePolicy } from './lifecycle-policy';
import { findAddressWithdrawnByDeletion, reassignAddress } from './lifecycle.repository';
import type { RestoreBody } from './lifecycle.schemas';

const addressTaken = (address: string) =>
  new AppError('ADDRESS_TAKEN', `The MSSanté address ${address} is now another mailbox's`, [
    {
      field: 'correspondence',
      code: 'ADDRESS_TAKEN',
      message: 'Restore with `withoutCorrespondence: true`, then give the box a new address',
    },
  ]);

/**
 * Restores a deleted box within the retention period, back to the status its deletion
 * interrupted, with the MSSanté address the deletion withdrew (a new active row: the history
 * keeps the withdrawn one), unless that status may not hold one (`statusMayHoldAddress`: a box
 * deleted while rejected or pending comes back without it, the audit's cause naming it). Refused when the e-mail is someone else's now (409 EMAIL_TAKEN), past
 * retention or purged (409 RETENTION_EXPIRED), and — unless `withoutCorrespondence` — when the
 * address cannot come back (409 ADDRESS_TAKEN, 422 domain gone or quota used up). The box's
 * inactivity period starts again from the restoration.
 */
export async function restoreMailbox(
  deps: ServiceDependencies,
  policy: LifecyclePolicy,
  context: RequestContext,
  mailboxId: string,
  ifMatch: number[] | '*' | undefined,
  body: RestoreBody,
): Promise<VersionedMailbox> {
  const withoutCorrespondence = body?.withoutCorrespondence ?? false;
  let email = '';
  let address = '';
  try {
    return await deps.db.transaction(async (tx) => {
      const current = await lockMailboxForWrite(tx, context.caller, mailboxId, ifMatch, { allowDeleted: true });
      const box = current.mailbox;
      const change = nextStatus(box.status, 'restore', box.formerStatus);
      if (!change) throw invalidTransition(current, 'restore');
      const now = deps.clock.now();
      assertWithinRetention(box, now, policy);
      email = box.email;
      if (await findMailboxIdByEmail(tx, box.email)) throw emailTaken(box.email);
      const previous = await findAddressWithdrawnByDeletion(tx, mailboxId, box.deletedAt!);
      // A box restored to a status that may not hold an address (rejected, pending) comes back without it.
      const comesBack =
        previous !== undefined &&
        statusMayHoldAddress(change.status) &&
        (await addressCanComeBack(tx, box, previous, withoutCorrespondence));
      const row = await updateMailboxRow(tx, mailboxId, box.version, {
        ...change,
        deletedAt: null,
        restoredAt: now,
        updatedAt: now,
      });
      if (!row) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
      if (comesBack) {
        address = previous.address;
        await reassignAddress(tx, previous, box.structureId, now);
      }
      const restored = await findMailbox(tx, mailboxId);
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'mailbox.restored',
        targetType: 'mailbox',
        targetId: mailboxId,
        structureId: box.structureId,
        mailboxId,
        cause: previous && !comesBack ? { correspondenceNotRestored: previous.address } : null,
        before: toMailbox(current),
        after: toMailbox(restored!),
      });
      return versioned(restored!);
    });
  } catch (error) {
    // The unique indexes have the last word over a concurrent create or address change.
    if (isUniqueViolation(error, 'mailboxes_email_key_active_idx')) throw emailTaken(email);
    if (isUniqueViolation(error, 'mssante_addresses_active_idx')) throw addressTaken(address);
    throw error;
  }
}

function assertWithinRetention(box: MailboxRow, now: Date, policy: LifecyclePolicy): void {
  const cutoff = retentionCutoff(now, policy);
  if (box.purgedAt !== null || box.deletedAt === null || box.deletedAt <= cutoff) {
    throw new AppError(
      'RETENTION_EXPIRED',
      `Deleted boxes can be restored for ${policy.retentionMonths} months only`,
      undefined,
      {
        deletedAt: box.deletedAt?.toISOString() ?? null,
        purged: box.purgedAt !== null,
      },
    );
  }
}

/**
 * Whether the withdrawn address may be active again: still free, on a domain the structure still
 * owns, within the quota (checked under the structure's row lock, after the box's, as the
 * correspondence service does). Otherwise refused, or skipped when the caller accepts a restore
 * without it.
 */
async function addressCanComeBack(
  tx: Transaction,
  box: MailboxRow,
  previous: AddressRow,
  withoutCorrespondence: boolean,
): Promise<boolean> {
  const refuse = (error: AppError) => {
    if (withoutCorrespondence) return false;
    throw error;
  };
  const holder = await findActiveAddressByValue(tx, previous.address);
  if (holder) return refuse(addressTaken(previous.address));
  const structure = await findStructure(tx, box.structureId, { lock: true });
  if (!structure?.domains.includes(previous.domain)) {
    return refuse(
      new AppError('BUSINESS_RULE_VIOLATED', `The domain ${previous.domain} is no longer the structure's`, [
        {
          field: 'correspondence.domain',
          code: 'DOMAIN_NOT_OF_STRUCTURE',
          message:
            "Restore with `withoutCorrespondence: true`, then give the box an address on one of the structure's domains",
        },
      ]),
    );
  }
  try {
    await assertQuotaAvailable(
      tx,
      {
        id: structure.id,
        quotas: {
          personal: structure.quotaPersonal,
          organisational: structure.quotaOrganisational,
          applicative: structure.quotaApplicative,
        },
      },
      box.type,
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'QUOTA_EXCEEDED') return refuse(error);
    throw error;
  }
  return true;
}
