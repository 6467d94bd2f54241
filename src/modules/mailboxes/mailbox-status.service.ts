import { recordAudit, type AuditAction } from '../../platform/audit/audit';
import { lockMailboxForWrite } from './mailbox-assertions';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { withdrawActiveAddress } from '../correspondences';
import { toMailbox } from './mailbox-mapper';
import { nextStatus, statusMayHoldAddress, type MailboxAction } from '../../domain/mailbox-status';
import { findMailbox, updateMailboxRow, type MailboxRecord } from './mailboxes.repository';
import { versioned, type VersionedMailbox } from './mailboxes.service';

/** The actions an admin drives through the API; registration and restore have their own services. */
export type AdminStatusAction = Extract<MailboxAction, 'validate' | 'reject' | 'deactivate' | 'reactivate' | 'delete'>;

const STATUS_AUDIT_ACTIONS: Record<AdminStatusAction, AuditAction> = {
  validate: 'mailbox.validated',
  reject: 'mailbox.rejected',
  deactivate: 'mailbox.deactivated',
  reactivate: 'mailbox.reactivated',
  delete: 'mailbox.deleted',
};

export function invalidTransition(record: MailboxRecord, action: MailboxAction): AppError {
  return new AppError(
    'INVALID_TRANSITION',
    `The action ${action} is not possible on a ${record.mailbox.status} mailbox`,
    undefined,
    { currentStatus: record.mailbox.status, action },
  );
}

export async function changeMailboxStatus(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  action: AdminStatusAction,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedMailbox> {
  return deps.db.transaction(async (tx) => {
    // Status changes judge a deleted box through the state machine (409 with its status).
    const current = await lockMailboxForWrite(tx, context.caller, mailboxId, ifMatch, { allowDeleted: true });
    const change = nextStatus(current.mailbox.status, action, current.mailbox.formerStatus);
    if (!change) throw invalidTransition(current, action);
    const now = deps.clock.now();
    // Deletion, a rejection or a reactivation back to `pending` lands where no address may be held.
    if (current.address && !statusMayHoldAddress(change.status)) await withdrawActiveAddress(tx, mailboxId, now);
    const row = await updateMailboxRow(tx, mailboxId, current.mailbox.version, {
      status: change.status,
      formerStatus: change.formerStatus,
      updatedAt: now,
      ...(action === 'delete' ? { deletedAt: now } : {}),
      ...(action === 'validate' ? { registeredAt: now } : {}),
    });
    if (!row) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
    const updated = await findMailbox(tx, mailboxId);
    await recordAudit(tx, deps.clock, context.actor, {
      action: STATUS_AUDIT_ACTIONS[action],
      targetType: 'mailbox',
      targetId: mailboxId,
      structureId: row.structureId,
      mailboxId,
      before: toMailbox(current),
      after: toMailbox(updated!),
    });
    return versioned(updated!);
  });
}
