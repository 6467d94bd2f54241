import type { Executor } from '../../db/database';
import { recordAudit } from '../../platform/audit/audit';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { assertMailboxEditable, lockMailboxForWrite } from '../mailboxes/mailbox-assertions';
import { findMailbox, type MailboxRecord } from '../mailboxes';
import {
  findConnectionAccount,
  findDefaultSharedMailboxId,
  selectAccessibleMailboxes,
  updateConnectionAccountFlags,
  type AccessibleMailboxRecord,
  type ConnectionAccountRecord,
} from './connection-accounts.repository';
import type { AccessibleMailbox, UpdateAccessibleMailboxBody } from './connection-accounts.schemas';
import { toConnectionAccount, withLinkUniqueness } from './connection-accounts.service';

/**
 * The nominative side of connection accounts: "l'ensemble des comptes auxquels vous avez accès",
 * where the login's default box and its receipt notifications are chosen. The links are the ones
 * the ORG/APP side writes (same table, same rules, same audit actions' targets); only the way a
 * new default is taken differs, since this side sees all of the login's boxes: choosing one
 * unsets the other, where the ORG/APP side, which sees one box, answers 409 `DEFAULT_TAKEN`.
 */

const toAccessibleMailbox = ({ link, shared }: AccessibleMailboxRecord): AccessibleMailbox => ({
  mailboxId: shared.id,
  email: shared.email,
  lastName: shared.lastName,
  firstName: shared.firstName,
  type: shared.type,
  status: shared.status,
  isDefault: link.isDefault,
  notifyOnReceipt: link.notifyOnReceipt,
  createdAt: link.createdAt.toISOString(),
});

export async function listAccessibleMailboxes(
  deps: ServiceDependencies,
  context: RequestContext,
  login: MailboxRecord,
  query: { limit: number; cursor?: string },
): Promise<Page<AccessibleMailbox>> {
  assertStructureAccess(context.caller, login.mailbox.structureId, 'read', 'Mailbox');
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectAccessibleMailboxes(deps.db, login.mailbox.id, {
    after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, ({ shared }) => [shared.emailKey, shared.id], toAccessibleMailbox);
}

/** Locks a box (the login, or a shared box whose list the ORG/APP side may be rewriting). */
async function lockBox(executor: Executor, mailboxId: string): Promise<MailboxRecord> {
  const record = await findMailbox(executor, mailboxId, { lock: true });
  if (!record) throw new AppError('NOT_FOUND', 'Mailbox not found');
  return record;
}

/** Sets one link's flags and audits the change, as seen from the shared box (as the ORG/APP side does). */
async function changeLink(
  executor: Executor,
  deps: ServiceDependencies,
  context: RequestContext,
  current: ConnectionAccountRecord,
  flags: { isDefault: boolean; notifyOnReceipt: boolean },
): Promise<void> {
  const { link, account } = current;
  if (link.isDefault === flags.isDefault && link.notifyOnReceipt === flags.notifyOnReceipt) return;
  await updateConnectionAccountFlags(executor, link.sharedMailboxId, link.accountMailboxId, flags);
  await recordAudit(executor, deps.clock, context.actor, {
    action: 'connection_account.updated',
    targetType: 'connection_account',
    targetId: account.id,
    structureId: account.structureId,
    mailboxId: link.sharedMailboxId,
    cause: { side: 'account' },
    before: toConnectionAccount(current),
    after: toConnectionAccount({ link: { ...link, ...flags }, account }),
  });
}

/**
 * Changes the login's settings for one shared box it opens. A new default unsets the previous
 * one in the same transaction (both audited). Boxes are locked login first, then the shared
 * boxes in id order, so that two logins swapping defaults cannot deadlock.
 */
export async function updateAccessibleMailbox(
  deps: ServiceDependencies,
  context: RequestContext,
  loginId: string,
  sharedMailboxId: string,
  body: UpdateAccessibleMailboxBody,
): Promise<AccessibleMailbox> {
  return withLinkUniqueness(() =>
    deps.db.transaction(async (tx) => {
      await lockMailboxForWrite(tx, context.caller, loginId, undefined);
      const previousDefault = body.isDefault ? await findDefaultSharedMailboxId(tx, loginId) : undefined;
      const sharedIds = [sharedMailboxId, previousDefault].filter(
        (id): id is string => id !== undefined && id !== loginId,
      );
      const locked = new Map<string, MailboxRecord>();
      for (const id of [...new Set(sharedIds)].sort()) locked.set(id, await lockBox(tx, id));
      const current = await findConnectionAccount(tx, sharedMailboxId, loginId);
      if (!current) throw new AppError('NOT_FOUND', 'This login does not open that box');
      assertMailboxEditable(locked.get(sharedMailboxId)!.mailbox);
      const wanted = {
        isDefault: body.isDefault ?? current.link.isDefault,
        notifyOnReceipt: body.notifyOnReceipt ?? current.link.notifyOnReceipt,
      };
      if (previousDefault !== undefined && previousDefault !== sharedMailboxId) {
        const other = await findConnectionAccount(tx, previousDefault, loginId);
        if (other) {
          await changeLink(tx, deps, context, other, { isDefault: false, notifyOnReceipt: other.link.notifyOnReceipt });
        }
      }
      await changeLink(tx, deps, context, current, wanted);
      const shared = locked.get(sharedMailboxId)!.mailbox;
      return toAccessibleMailbox({ link: { ...current.link, ...wanted }, shared });
    }),
  );
}
