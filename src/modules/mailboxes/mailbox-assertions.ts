import { AppError } from '../../platform/errors/error-catalogue';
import { checkMailboxFields } from './mailbox-rules';
import type { MailboxFields } from './mailbox-type';
import type { MailboxRow } from './mailboxes.repository';

/** The rules at the door: 422 listing every field at fault. */
export function assertMailboxFields(fields: MailboxFields): void {
  const issues = checkMailboxFields(fields);
  if (issues.length > 0) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The mailbox does not meet the rules of its type', issues);
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
