import { isUniqueViolation } from '../../db/errors';
import { recordAudit, type AuditAction } from '../../platform/audit/audit';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { visibleStructureIds } from '../../platform/auth/caller';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { assertIfMatch } from '../../shared/etag';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { assertMailboxEditable } from '../mailboxes/mailbox-assertions';
import { findMailbox, findMailboxIdByEmail } from '../mailboxes';
import {
  assertEmailChanges,
  assertRequestTransition,
  assertWellFormedNewEmail,
  newEmailTaken,
  pendingRequestExists,
  toEmailChangeRequest,
} from './email-change-request-rules';
import type {
  CreateEmailChangeRequestBody,
  EmailChangeRequest,
  EmailChangeRequestListQuery,
} from './email-change-requests.schemas';
import {
  findEmailChangeRequest,
  findPendingRequestOfMailbox,
  insertEmailChangeRequest,
  isEmailPendingInRequest,
  selectEmailChangeRequests,
  updateEmailChangeRequestRow,
  type EmailChangeRequestRow,
} from './email-change-requests.repository';

export interface VersionedRequest {
  request: EmailChangeRequest;
  version: number;
}
export const versionedRequest = (row: EmailChangeRequestRow): VersionedRequest => ({
  request: toEmailChangeRequest(row),
  version: row.version,
});

/** The partial unique indexes have the last word over two requests racing for one box or one address. */
async function withRequestUniqueness<T>(newEmail: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'email_change_requests_pending_new_email_idx')) throw newEmailTaken(newEmail, true);
    if (isUniqueViolation(error, 'email_change_requests_one_pending_idx')) {
      throw new AppError(
        'EMAIL_CHANGE_PENDING',
        'This mailbox already has a pending change-of-mail request: decide it first',
      );
    }
    throw error;
  }
}

/**
 * Asks for a new reference address. It must be free across the operator, case-insensitively:
 * held by no box that is not deleted, and asked for by no other pending request.
 */
export async function createEmailChangeRequest(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  body: CreateEmailChangeRequestBody,
): Promise<VersionedRequest> {
  const { newEmail } = body;
  assertWellFormedNewEmail(newEmail);
  return withRequestUniqueness(newEmail, () =>
    deps.db.transaction(async (tx) => {
      // Locking the box serialises requests on it, and against its deletion.
      const current = await findMailbox(tx, mailboxId, { lock: true });
      if (!current) throw new AppError('NOT_FOUND', 'Mailbox not found');
      const { mailbox } = current;
      assertStructureAccess(context.caller, mailbox.structureId, 'write', 'Mailbox');
      assertMailboxEditable(mailbox);
      assertEmailChanges(mailbox.email, newEmail);
      const pending = await findPendingRequestOfMailbox(tx, mailboxId);
      if (pending) throw pendingRequestExists(pending);
      if (await findMailboxIdByEmail(tx, newEmail)) throw newEmailTaken(newEmail, false);
      if (await isEmailPendingInRequest(tx, newEmail)) throw newEmailTaken(newEmail, true);
      const now = deps.clock.now();
      const row = await insertEmailChangeRequest(tx, {
        mailboxId,
        structureId: mailbox.structureId,
        currentEmail: mailbox.email,
        newEmail,
        status: 'pending',
        requestedBy: context.actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'email_change_request.created',
        targetType: 'email_change_request',
        targetId: row.id,
        structureId: row.structureId,
        mailboxId,
        after: toEmailChangeRequest(row),
      });
      return versionedRequest(row);
    }),
  );
}

export async function listEmailChangeRequests(
  deps: ServiceDependencies,
  context: RequestContext,
  query: EmailChangeRequestListQuery & { limit: number; cursor?: string },
): Promise<Page<EmailChangeRequest>> {
  const { limit, cursor, ...filters } = query;
  const rows = await selectEmailChangeRequests(deps.db, {
    ...filters,
    visibleStructureIds: visibleStructureIds(context.caller),
    after: decodeCursor(cursor, 2),
    limit,
  });
  return toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id], toEmailChangeRequest);
}

const CLOSE_AUDIT_ACTIONS: Record<'reject' | 'cancel', AuditAction> = {
  reject: 'email_change_request.rejected',
  cancel: 'email_change_request.cancelled',
};

/** Rejects (an admin refuses) or cancels (the request is withdrawn) a pending request; the box is untouched. */
export async function closeEmailChangeRequest(
  deps: ServiceDependencies,
  context: RequestContext,
  requestId: string,
  action: 'reject' | 'cancel',
  reason: string | undefined,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedRequest> {
  return deps.db.transaction(async (tx) => {
    const current = await findEmailChangeRequest(tx, requestId, { lock: true });
    if (!current) throw new AppError('NOT_FOUND', 'Change-of-mail request not found');
    assertStructureAccess(context.caller, current.structureId, 'write', 'Change-of-mail request');
    assertIfMatch(ifMatch, current.version);
    const status = assertRequestTransition(current, action);
    const now = deps.clock.now();
    const row = await updateEmailChangeRequestRow(tx, requestId, current.version, {
      status,
      reason: reason?.trim() || null,
      decidedBy: context.actor.id,
      decidedAt: now,
      updatedAt: now,
    });
    if (!row) throw new AppError('PRECONDITION_FAILED', 'The request was changed meanwhile: fetch it again');
    await recordAudit(tx, deps.clock, context.actor, {
      action: CLOSE_AUDIT_ACTIONS[action],
      targetType: 'email_change_request',
      targetId: requestId,
      structureId: row.structureId,
      mailboxId: row.mailboxId,
      before: toEmailChangeRequest(current),
      after: toEmailChangeRequest(row),
    });
    return versionedRequest(row);
  });
}
