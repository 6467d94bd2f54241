import { isUniqueViolation } from '../../db/errors';
import { recordAudit } from '../../platform/audit/audit';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { assertIfMatch } from '../../shared/etag';
import { toMailbox } from '../mailboxes/mailbox-mapper';
import { findMailbox, findMailboxIdByEmail, updateMailboxRow } from '../mailboxes';
import { emailChangedMessage } from '../notifications/messages';
import { queueNotification } from '../notifications/notification-outbox';
import { assertRequestTransition, newEmailTaken, toEmailChangeRequest } from './email-change-request-rules';
import { findEmailChangeRequest, updateEmailChangeRequestRow } from './email-change-requests.repository';
import { versionedRequest, type VersionedRequest } from './email-change-requests.service';

/** A box created with the address between our check and our update trips the e-mail's unique index: 409 too. */
async function withMailboxEmailUniqueness<T>(newEmail: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'mailboxes_email_key_active_idx')) throw newEmailTaken(newEmail, false);
    throw error;
  }
}

/**
 * Approves a pending request and applies it: the box's reference address (and login) becomes
 * the new one. Availability is checked again inside the transaction, since another box may
 * have taken the address after the request was made; the e-mail's unique index has the last
 * word over a concurrent create. The new address is told of the change through the outbox.
 */
export async function approveEmailChangeRequest(
  deps: ServiceDependencies,
  context: RequestContext,
  requestId: string,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedRequest> {
  const peek = await findEmailChangeRequest(deps.db, requestId);
  if (!peek) throw new AppError('NOT_FOUND', 'Change-of-mail request not found');
  return withMailboxEmailUniqueness(peek.newEmail, () =>
    deps.db.transaction(async (tx) => {
      // The box first, then the request: the order every writer of both takes.
      const box = await findMailbox(tx, peek.mailboxId, { lock: true });
      const current = await findEmailChangeRequest(tx, requestId, { lock: true });
      if (!box || !current) throw new AppError('NOT_FOUND', 'Change-of-mail request not found');
      assertStructureAccess(context.caller, current.structureId, 'write', 'Change-of-mail request');
      assertIfMatch(ifMatch, current.version);
      const status = assertRequestTransition(current, 'approve');
      if (box.mailbox.status === 'deleted') {
        throw new AppError('INVALID_TRANSITION', 'The mailbox was deleted: reject or cancel the request', undefined, {
          currentStatus: current.status,
          mailboxStatus: box.mailbox.status,
        });
      }
      const holder = await findMailboxIdByEmail(tx, current.newEmail);
      if (holder && holder.id !== box.mailbox.id) throw newEmailTaken(current.newEmail, false);

      const now = deps.clock.now();
      const mailboxRow = await updateMailboxRow(tx, box.mailbox.id, box.mailbox.version, {
        email: current.newEmail,
        emailKey: current.newEmail.toLowerCase(),
        updatedAt: now,
      });
      const row = await updateEmailChangeRequestRow(tx, requestId, current.version, {
        status,
        decidedBy: context.actor.id,
        decidedAt: now,
        updatedAt: now,
      });
      if (!mailboxRow || !row)
        throw new AppError('PRECONDITION_FAILED', 'The request or its mailbox changed meanwhile: fetch it again');
      await queueNotification(tx, emailChangedMessage(mailboxRow, box.mailbox.email));

      const changed = { mailbox: mailboxRow, address: box.address };
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'mailbox.email_changed',
        targetType: 'mailbox',
        targetId: mailboxRow.id,
        structureId: mailboxRow.structureId,
        mailboxId: mailboxRow.id,
        cause: { emailChangeRequestId: requestId },
        before: toMailbox(box),
        after: toMailbox(changed),
      });
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'email_change_request.approved',
        targetType: 'email_change_request',
        targetId: requestId,
        structureId: row.structureId,
        mailboxId: row.mailboxId,
        before: toEmailChangeRequest(current),
        after: toEmailChangeRequest(row),
      });
      return versionedRequest(row);
    }),
  );
}
