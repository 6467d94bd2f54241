import { isWellFormedEmail } from '../../domain/mssante-address';
import { AppError } from '../../domain/errors/error-catalogue';
import type { EmailChangeRequest, EmailChangeRequestStatus } from './email-change-requests.schemas';
import type { EmailChangeRequestRow } from './email-change-requests.repository';

export type EmailChangeRequestAction = 'approve' | 'reject' | 'cancel';

/** The state machine: only a pending request moves, and each action has one destination. */
const TRANSITIONS: Record<EmailChangeRequestAction, { from: EmailChangeRequestStatus; to: EmailChangeRequestStatus }> =
  {
    approve: { from: 'pending', to: 'approved' },
    reject: { from: 'pending', to: 'rejected' },
    cancel: { from: 'pending', to: 'cancelled' },
  };

export function nextRequestStatus(
  status: EmailChangeRequestStatus,
  action: EmailChangeRequestAction,
): EmailChangeRequestStatus | undefined {
  const transition = TRANSITIONS[action];
  return transition.from === status ? transition.to : undefined;
}

/** 409 INVALID_TRANSITION carrying the request's `currentStatus`. */
export function assertRequestTransition(
  request: EmailChangeRequestRow,
  action: EmailChangeRequestAction,
): EmailChangeRequestStatus {
  const next = nextRequestStatus(request.status, action);
  if (!next) {
    throw new AppError(
      'INVALID_TRANSITION',
      `The request is already ${request.status}: only a pending request can become ${TRANSITIONS[action].to}`,
      undefined,
      { currentStatus: request.status, action },
    );
  }
  return next;
}

export function assertWellFormedNewEmail(newEmail: string): void {
  if (!isWellFormedEmail(newEmail)) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The new reference address is not a valid e-mail address', [
      { field: 'newEmail', code: 'EMAIL_INVALID', message: 'Give an ordinary e-mail address' },
    ]);
  }
}

export function assertEmailChanges(currentEmail: string, newEmail: string): void {
  if (currentEmail.toLowerCase() === newEmail.toLowerCase()) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The new reference address is the current one', [
      {
        field: 'newEmail',
        code: 'EMAIL_UNCHANGED',
        message: 'Addresses compare case-insensitively: give another address',
      },
    ]);
  }
}

export function newEmailTaken(newEmail: string, byRequest: boolean): AppError {
  return new AppError(
    'EMAIL_TAKEN',
    byRequest
      ? `${newEmail} is already asked for by another pending change-of-mail request`
      : `${newEmail} is already the reference address of another mailbox`,
    [{ field: 'newEmail', code: 'EMAIL_TAKEN', message: 'Each reference address belongs to one mailbox only' }],
  );
}

export function pendingRequestExists(pending: { id: string }): AppError {
  return new AppError(
    'EMAIL_CHANGE_PENDING',
    'This mailbox already has a pending change-of-mail request: decide it first',
    undefined,
    {
      pendingRequestId: pending.id,
    },
  );
}

export const toEmailChangeRequest = (row: EmailChangeRequestRow): EmailChangeRequest => ({
  id: row.id,
  mailboxId: row.mailboxId,
  structureId: row.structureId,
  currentEmail: row.currentEmail,
  newEmail: row.newEmail,
  status: row.status,
  reason: row.reason,
  requestedBy: row.requestedBy,
  decidedBy: row.decidedBy,
  decidedAt: row.decidedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
