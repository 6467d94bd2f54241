import {
  NOMINATIVE_TYPES,
  type FieldIssue,
  type MailboxStatus,
  type MailboxType,
} from '../../domain/mailbox-vocabulary';
import type { LinkableMailbox } from '../connection-accounts/connection-account-rules';

/** A delegate acts for someone now: the login must be live (deactivated, rejected or deleted ones are refused). */
const ACTIVE_DELEGATE_STATUSES: readonly MailboxStatus[] = ['preregistered', 'pending', 'valid'];

/** Only nominative boxes (PER, MED, INT), one person each, have delegates. */
export function checkDelegator(mailbox: { type: MailboxType }): FieldIssue | null {
  if (NOMINATIVE_TYPES.includes(mailbox.type)) return null;
  return {
    field: 'type',
    code: 'NOT_A_NOMINATIVE_MAILBOX',
    message: `A ${mailbox.type} box has no delegates: it is opened through connection accounts`,
  };
}

/**
 * A delegate is another nominative box of the same structure, live. Another structure's box is
 * reported exactly as an unknown one, so that nothing reveals it exists.
 */
export function checkDelegate(
  owner: { id: string; structureId: string },
  delegate: LinkableMailbox | undefined,
  field: string,
): FieldIssue | null {
  if (!delegate || delegate.structureId !== owner.structureId) {
    return { field, code: 'DELEGATE_UNKNOWN', message: 'No mailbox of this structure has this id or e-mail' };
  }
  if (delegate.id === owner.id) return { field, code: 'SELF_DELEGATION', message: 'A box cannot be its own delegate' };
  if (!NOMINATIVE_TYPES.includes(delegate.type)) {
    return {
      field,
      code: 'DELEGATE_NOT_NOMINATIVE',
      message: `A ${delegate.type} box cannot be a delegate: only PER, MED and INT logins can`,
    };
  }
  if (!ACTIVE_DELEGATE_STATUSES.includes(delegate.status)) {
    return { field, code: 'DELEGATE_INACTIVE', message: `A ${delegate.status} box cannot be a delegate` };
  }
  return null;
}

/** Every rule of a list of delegates (an import row): each delegate, and none twice. */
export function checkDelegates(
  owner: { id: string; structureId: string },
  wanted: readonly { delegate: LinkableMailbox | undefined; field: string }[],
): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const { delegate, field } of wanted) {
    const issue = checkDelegate(owner, delegate, field);
    if (issue) issues.push(issue);
    else if (seen.has(delegate!.id))
      issues.push({ field, code: 'DUPLICATE_DELEGATE', message: 'This delegate is listed twice' });
    else seen.add(delegate!.id);
  }
  return issues;
}
