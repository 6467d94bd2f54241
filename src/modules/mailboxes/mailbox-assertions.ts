import { AppError } from '../../domain/errors/error-catalogue';
import { checkExpiryRequirement, lacksExpiryDate } from '../../domain/temporary-box-policy';
import { findStructure } from '../structures';
import { checkMailboxFields } from './mailbox-rules';
import type { MailboxFields } from '../../domain/mailbox-vocabulary';
import type { Executor } from '../../db/database';
import { assertStructureAccess } from '../../platform/auth/authorization';
import type { Caller } from '../../platform/auth/caller';
import { assertIfMatch } from '../../shared/etag';
import { findMailbox, type MailboxRecord, type MailboxRow } from './mailboxes.repository';

/** The rules at the door: 422 listing every field at fault. */
export function assertMailboxFields(fields: MailboxFields): void {
  const issues = checkMailboxFields(fields);
  if (issues.length > 0) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The mailbox does not meet the rules of its type', issues);
  }
}

/**
 * A temporary (INT) box without expiry date in a structure that requires one: 422 on `expiresAt`.
 * Reads the structure only for such a box, in the caller's transaction.
 */
export async function assertExpiryRequirement(
  executor: Executor,
  fields: Pick<MailboxFields, 'type' | 'expiresAt'>,
  structureId: string,
): Promise<void> {
  if (!lacksExpiryDate(fields)) return;
  const structure = await findStructure(executor, structureId);
  const issues = structure ? checkExpiryRequirement(fields, structure) : [];
  if (issues.length > 0) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The structure requires an expiry date on temporary boxes', issues);
  }
}

/** Deleted boxes are kept for retention only: they change through restore, nothing else. */
export function assertMailboxEditable(mailbox: MailboxRow): void {
  if (mailbox.status === 'deleted') {
    throw new AppError('INVALID_TRANSITION', 'A deleted mailbox cannot be changed; restore it first', undefined, {
      currentStatus: mailbox.status,
    });
  }
}

export function emailTaken(email: string): AppError {
  return new AppError('EMAIL_TAKEN', `${email} is already the reference address of another mailbox`, [
    { field: 'email', code: 'EMAIL_TAKEN', message: 'Each reference address belongs to one mailbox only' },
  ]);
}

/**
 * The start of every write on one box: lock it, check the caller may write its structure and
 * that it is the version the caller read, and (unless the write is a status change) that it is
 * not deleted. Done inside the transaction, so the checks hold until it commits.
 */
export async function lockMailboxForWrite(
  executor: Executor,
  caller: Caller,
  mailboxId: string,
  ifMatch: number[] | '*' | undefined,
  options: { allowDeleted?: boolean } = {},
): Promise<MailboxRecord> {
  const current = await findMailbox(executor, mailboxId, { lock: true });
  if (!current) throw new AppError('NOT_FOUND', 'Mailbox not found');
  assertStructureAccess(caller, current.mailbox.structureId, 'write', 'Mailbox');
  assertIfMatch(ifMatch, current.mailbox.version);
  if (!options.allowDeleted) assertMailboxEditable(current.mailbox);
  return current;
}
