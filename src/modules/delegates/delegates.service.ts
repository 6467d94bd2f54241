import type { Executor } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { recordAudit } from '../../platform/audit/audit';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { AppError, businessRule } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { assertMailboxEditable } from '../mailboxes/mailbox-assertions';
import {
  assertReferences,
  findReferencedMailboxes,
  referenceFieldOf,
  type MailboxReference,
} from '../mailboxes/mailbox-references';
import { findMailbox, type MailboxRecord } from '../mailboxes';
import { checkDelegate, checkDelegator } from './delegate-rules';
import {
  deleteDelegate,
  findDelegate,
  insertDelegate,
  selectDelegates,
  type DelegateRecord,
} from './delegates.repository';
import type { AddDelegateBody, Delegate } from './delegates.schemas';

export const toDelegate = ({ link, delegate }: DelegateRecord): Delegate => ({
  delegateMailboxId: delegate.id,
  email: delegate.email,
  lastName: delegate.lastName,
  firstName: delegate.firstName,
  type: delegate.type,
  status: delegate.status,
  createdAt: link.createdAt.toISOString(),
});

const ID_FIELD = 'delegateMailboxId';

function alreadyDelegate(field: string): AppError {
  return new AppError('ALREADY_LINKED', 'This box is already a delegate of the mailbox', [
    { field, code: 'ALREADY_LINKED', message: 'Listed already' },
  ]);
}

/** The delegating box, locked: writes to its delegates take turns. */
async function lockDelegator(executor: Executor, context: RequestContext, mailboxId: string): Promise<MailboxRecord> {
  const record = await findMailbox(executor, mailboxId, { lock: true });
  if (!record) throw new AppError('NOT_FOUND', 'Mailbox not found');
  assertStructureAccess(context.caller, record.mailbox.structureId, 'write', 'Mailbox');
  assertMailboxEditable(record.mailbox);
  const issue = checkDelegator(record.mailbox);
  if (issue) throw businessRule('Only nominative boxes have delegates', [issue]);
  return record;
}

export async function listDelegates(
  deps: ServiceDependencies,
  context: RequestContext,
  owner: MailboxRecord,
  query: { limit: number; cursor?: string },
): Promise<Page<Delegate>> {
  assertStructureAccess(context.caller, owner.mailbox.structureId, 'read', 'Mailbox');
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectDelegates(deps.db, owner.mailbox.id, {
    after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, ({ delegate }) => [delegate.emailKey, delegate.id], toDelegate);
}

export async function addDelegate(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  body: AddDelegateBody,
): Promise<Delegate> {
  const reference: MailboxReference = { mailboxId: body.delegateMailboxId, email: body.email };
  assertReferences([reference], () => '', ID_FIELD);
  const field = referenceFieldOf(reference, '', ID_FIELD);
  try {
    return await deps.db.transaction(async (tx) => {
      const owner = await lockDelegator(tx, context, mailboxId);
      const delegate = (await findReferencedMailboxes(tx, [reference]))(reference);
      const issue = checkDelegate(owner.mailbox, delegate, field);
      if (issue) throw businessRule('This box cannot be a delegate of this mailbox', [issue]);
      if (await findDelegate(tx, mailboxId, delegate!.id)) throw alreadyDelegate(field);
      const link = await insertDelegate(tx, {
        mailboxId,
        delegateMailboxId: delegate!.id,
        createdAt: deps.clock.now(),
      });
      const added = toDelegate({ link, delegate: delegate! });
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'delegate.added',
        targetType: 'delegate',
        targetId: delegate!.id,
        structureId: owner.mailbox.structureId,
        mailboxId,
        after: added,
      });
      return added;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'delegates_pair_idx')) throw alreadyDelegate(field);
    throw error;
  }
}

export async function removeDelegate(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  delegateMailboxId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const owner = await lockDelegator(tx, context, mailboxId);
    const current = await findDelegate(tx, mailboxId, delegateMailboxId);
    if (!current) throw new AppError('NOT_FOUND', 'This box is not a delegate of the mailbox');
    await deleteDelegate(tx, mailboxId, delegateMailboxId);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'delegate.removed',
      targetType: 'delegate',
      targetId: delegateMailboxId,
      structureId: owner.mailbox.structureId,
      mailboxId,
      before: toDelegate(current),
    });
  });
}
