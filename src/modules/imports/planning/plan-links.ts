import {
  checkConnectionAccount,
  checkSharedMailbox,
  type LinkableMailbox,
} from '../../connection-accounts/connection-account-rules';
import { checkDelegate, checkDelegator } from '../../delegates/delegate-rules';
import type { FieldIssue, MailboxType } from '../../../domain/mailbox-vocabulary';
import { rowFailedIssue, type LinkColumn, type LinkOwner } from './later-rows';
import type { PlanningContext } from './planning-context';
import { issueAt, type RowIssue } from './row-issues';

/** A change to a box's list of links: e-mails to add and to remove (replace semantics). */
export interface LinkChange {
  add: string[];
  remove: string[];
}

/** A box named in a link column, as the link rules see it; `failedRow` when it is a row above that failed. */
type Reference = LinkableMailbox | { failedRow: number } | undefined;

/**
 * A box named in column AB or AH, as far as the rows above and the database tell: a row above this
 * one (unless it failed; a row not created yet gets a stand-in id) or a box of the database. The
 * link rules report another structure's box exactly like an unknown one. A name neither holds may
 * be a row further down: see `LaterRows`.
 */
function resolveReference(email: string, context: PlanningContext): Reference {
  const row = context.file.rows.get(email);
  if (row?.failed) return { failedRow: row.rowNumber };
  if (row?.type)
    return { id: `row:${row.rowNumber}`, structureId: context.structureId, type: row.type, status: row.status };
  const box = context.boxes.get(email)?.record.mailbox;
  return box && { id: box.id, structureId: box.structureId, type: box.type, status: box.status };
}

const UNKNOWN_MESSAGE = (email: string) => `${email} is neither a box of this structure nor a row of this file.`;

/** A link rule's verdict as the row's issue on its column. */
function toRowIssue(column: LinkColumn, email: string, issue: FieldIssue | null): RowIssue | null {
  if (!issue) return null;
  return issueAt(
    column,
    issue.code,
    issue.code.endsWith('_UNKNOWN') ? UNKNOWN_MESSAGE(email) : `${email}: ${issue.message}.`,
  );
}

/**
 * Runs a link rule on each newly named box; links the box already has are not judged again.
 * A name not known yet is left to `context.laterRows` (a row further down may hold it) when the
 * pass has one; without one it is unknown.
 */
function checkNamedBoxes(
  column: LinkColumn,
  emails: readonly string[],
  alreadyLinked: readonly string[],
  owner: LinkOwner,
  context: PlanningContext,
  rule: (reference: LinkableMailbox | undefined, email: string) => FieldIssue | null,
): RowIssue[] {
  const issues: RowIssue[] = [];
  for (const email of emails) {
    if (alreadyLinked.includes(email)) continue;
    const reference = resolveReference(email, context);
    if (reference && 'failedRow' in reference) {
      issues.push(rowFailedIssue(column, email, reference.failedRow));
      continue;
    }
    if (!reference && email !== owner.email && context.laterRows) {
      context.laterRows.defer(owner, column, email, (later) => toRowIssue(column, email, rule(later, email)));
      continue;
    }
    context.laterRows?.noteNamed(owner, column, email);
    const issue = toRowIssue(column, email, rule(reference, email));
    if (issue) issues.push(issue);
  }
  return issues;
}

/** The row's own box for the link rules (a stand-in id until it is created). */
function ownerOf(email: string, rowNumber: number, context: PlanningContext): { id: string; structureId: string } {
  return { id: context.boxes.get(email)?.record.mailbox.id ?? `row:${rowNumber}`, structureId: context.structureId };
}

/**
 * Column AB, with the delegate rules of the API (`delegate-rules.ts`): delegates of a nominative
 * box, themselves nominative, live, not the box itself.
 */
export function checkDelegates(
  row: { email: string; rowNumber: number; type: MailboxType },
  delegates: readonly string[] | undefined,
  alreadyLinked: readonly string[],
  context: PlanningContext,
): RowIssue[] {
  if (delegates === undefined) return [];
  const delegator = checkDelegator({ type: row.type });
  if (delegator) return [issueAt('delegates', delegator.code, delegator.message)];
  const owner = ownerOf(row.email, row.rowNumber, context);
  return checkNamedBoxes('delegates', delegates, alreadyLinked, row, context, (reference, email) =>
    checkDelegate(
      owner,
      email === row.email ? { ...owner, type: row.type, status: 'preregistered' } : reference,
      'delegates',
    ),
  );
}

/** Column AH, with the connection-account rules of the API (`connection-account-rules.ts`). */
export function checkConnectionAccounts(
  row: { email: string; rowNumber: number; type: MailboxType },
  accounts: readonly string[] | undefined,
  alreadyLinked: readonly string[],
  context: PlanningContext,
): RowIssue[] {
  if (accounts === undefined) return [];
  const shared = checkSharedMailbox({ type: row.type });
  if (shared) return [issueAt('connectionAccounts', shared.code, shared.message)];
  return checkNamedBoxes('connectionAccounts', accounts, alreadyLinked, row, context, (reference) =>
    checkConnectionAccount({ structureId: context.structureId }, reference, 'connectionAccounts'),
  );
}

/** The change from the current list to the given one; null when the cell is empty or lists the same boxes. */
export function diffLinks(current: readonly string[], given: readonly string[] | undefined): LinkChange | null {
  if (given === undefined) return null;
  const add = given.filter((email) => !current.includes(email));
  const remove = current.filter((email) => !given.includes(email));
  return add.length === 0 && remove.length === 0 ? null : { add, remove };
}
