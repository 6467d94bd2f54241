import type { Executor } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { recordAudit } from '../../platform/audit/audit';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { AppError, businessRule } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { assertMailboxEditable } from '../mailboxes/mailbox-assertions';
import { assertReferences, findReferencedMailboxes, referenceFieldOf } from '../mailboxes/mailbox-references';
import { findMailbox, type MailboxRecord } from '../mailboxes';
import {
  checkConnectionAccounts,
  checkDefaults,
  checkSharedMailbox,
  type WantedConnectionAccount,
} from './connection-account-rules';
import {
  deleteConnectionAccounts,
  findConnectionAccount,
  findDefaultsElsewhere,
  insertConnectionAccounts,
  selectConnectionAccounts,
  updateConnectionAccountFlags,
  type ConnectionAccountRecord,
} from './connection-accounts.repository';
import type {
  ConnectionAccount,
  ConnectionAccountInput,
  ReplaceConnectionAccountsBody,
} from './connection-accounts.schemas';

export const toConnectionAccount = ({ link, account }: ConnectionAccountRecord): ConnectionAccount => ({
  mailboxId: account.id,
  email: account.email,
  lastName: account.lastName,
  firstName: account.firstName,
  type: account.type,
  status: account.status,
  isDefault: link.isDefault,
  notifyOnReceipt: link.notifyOnReceipt,
  createdAt: link.createdAt.toISOString(),
});

/** The two unique indexes have the last word over concurrent writers. */
export async function withLinkUniqueness<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'connection_accounts_one_default_idx')) {
      throw new AppError('DEFAULT_TAKEN', 'An account was made the default of another box meanwhile', [
        {
          field: 'isDefault',
          code: 'DEFAULT_TAKEN',
          message: 'A login opens one box by default: unset it there first',
        },
      ]);
    }
    if (isUniqueViolation(error, 'connection_accounts_pair_idx'))
      throw new AppError('ALREADY_LINKED', 'The account was linked meanwhile');
    throw error;
  }
}

/** The shared box, locked: writes to its list take turns. */
async function lockSharedMailbox(
  executor: Executor,
  context: RequestContext,
  mailboxId: string,
): Promise<MailboxRecord> {
  const record = await findMailbox(executor, mailboxId, { lock: true });
  if (!record) throw new AppError('NOT_FOUND', 'Mailbox not found');
  assertStructureAccess(context.caller, record.mailbox.structureId, 'write', 'Mailbox');
  assertMailboxEditable(record.mailbox);
  const issue = checkSharedMailbox(record.mailbox);
  if (issue) throw businessRule('Only ORG and APP boxes have connection accounts', [issue]);
  return record;
}

/** Resolves and checks the wanted accounts: 422 for the rules, then 409 for a default held elsewhere. */
async function resolveWantedAccounts(
  executor: Executor,
  shared: MailboxRecord,
  inputs: readonly ConnectionAccountInput[],
  prefixOf: (index: number) => string,
) {
  assertReferences(inputs, prefixOf);
  const find = await findReferencedMailboxes(executor, inputs);
  const accounts = inputs.map(find);
  const wanted: WantedConnectionAccount[] = inputs.map((input, index) => ({
    account: accounts[index],
    isDefault: input.isDefault,
    field: referenceFieldOf(input, prefixOf(index)),
    defaultField: `${prefixOf(index)}isDefault`,
  }));
  const issues = checkConnectionAccounts(shared.mailbox, wanted);
  if (issues.length > 0) throw businessRule('These boxes cannot be connection accounts of this box', issues);
  const defaults = checkDefaults(
    wanted,
    await findDefaultsElsewhere(
      executor,
      accounts.map((account) => account!.id),
      shared.mailbox.id,
    ),
  );
  if (defaults.length > 0) throw new AppError('DEFAULT_TAKEN', 'A login opens at most one box by default', defaults);
  return inputs.map((input, index) => ({
    account: accounts[index]!,
    isDefault: input.isDefault,
    notifyOnReceipt: input.notifyOnReceipt,
  }));
}

export async function listConnectionAccounts(
  deps: ServiceDependencies,
  context: RequestContext,
  shared: MailboxRecord,
  query: { limit: number; cursor?: string },
): Promise<Page<ConnectionAccount>> {
  assertStructureAccess(context.caller, shared.mailbox.structureId, 'read', 'Mailbox');
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectConnectionAccounts(deps.db, shared.mailbox.id, {
    after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, ({ account }) => [account.emailKey, account.id], toConnectionAccount);
}

export async function addConnectionAccount(
  deps: ServiceDependencies,
  context: RequestContext,
  sharedMailboxId: string,
  body: ConnectionAccountInput,
): Promise<ConnectionAccount> {
  return withLinkUniqueness(() =>
    deps.db.transaction(async (tx) => {
      const shared = await lockSharedMailbox(tx, context, sharedMailboxId);
      const [wanted] = await resolveWantedAccounts(tx, shared, [body], () => '');
      if (await findConnectionAccount(tx, sharedMailboxId, wanted!.account.id)) {
        throw new AppError(
          'ALREADY_LINKED',
          'This account already opens the box: remove it first, or replace the list',
          [{ field: referenceFieldOf(body), code: 'ALREADY_LINKED', message: 'Listed already' }],
        );
      }
      const link = {
        sharedMailboxId,
        accountMailboxId: wanted!.account.id,
        isDefault: wanted!.isDefault,
        notifyOnReceipt: wanted!.notifyOnReceipt,
        createdAt: deps.clock.now(),
      };
      await insertConnectionAccounts(tx, [link]);
      const added = toConnectionAccount({ link, account: wanted!.account });
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'connection_account.added',
        targetType: 'connection_account',
        targetId: added.mailboxId,
        structureId: shared.mailbox.structureId,
        mailboxId: sharedMailboxId,
        after: added,
      });
      return added;
    }),
  );
}

/** Replaces the whole list: links kept keep their creation date; the same list again changes nothing. */
export async function replaceConnectionAccounts(
  deps: ServiceDependencies,
  context: RequestContext,
  sharedMailboxId: string,
  body: ReplaceConnectionAccountsBody,
): Promise<Page<ConnectionAccount>> {
  return withLinkUniqueness(() =>
    deps.db.transaction(async (tx) => {
      const shared = await lockSharedMailbox(tx, context, sharedMailboxId);
      const wanted = await resolveWantedAccounts(tx, shared, body.items, (index) => `items.${index}.`);
      const before = await selectConnectionAccounts(tx, sharedMailboxId);
      const existing = new Map(before.map((record) => [record.account.id, record.link]));
      const wantedIds = new Set(wanted.map((entry) => entry.account.id));
      const removed = before.filter(({ account }) => !wantedIds.has(account.id)).map(({ account }) => account.id);
      const changed = wanted.filter((entry) => {
        const link = existing.get(entry.account.id);
        return link && (link.isDefault !== entry.isDefault || link.notifyOnReceipt !== entry.notifyOnReceipt);
      });
      const added = wanted.filter((entry) => !existing.has(entry.account.id));
      if (removed.length + changed.length + added.length === 0)
        return { items: before.map(toConnectionAccount), nextCursor: null };
      await deleteConnectionAccounts(tx, sharedMailboxId, removed);
      for (const entry of changed) await updateConnectionAccountFlags(tx, sharedMailboxId, entry.account.id, entry);
      const now = deps.clock.now();
      await insertConnectionAccounts(
        tx,
        added.map((entry) => ({
          sharedMailboxId,
          accountMailboxId: entry.account.id,
          isDefault: entry.isDefault,
          notifyOnReceipt: entry.notifyOnReceipt,
          createdAt: now,
        })),
      );
      const after = await selectConnectionAccounts(tx, sharedMailboxId);
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'connection_accounts.replaced',
        targetType: 'mailbox',
        targetId: sharedMailboxId,
        structureId: shared.mailbox.structureId,
        mailboxId: sharedMailboxId,
        cause: { added: added.length, changed: changed.length, removed: removed.length },
        before: before.map(toConnectionAccount),
        after: after.map(toConnectionAccount),
      });
      return { items: after.map(toConnectionAccount), nextCursor: null };
    }),
  );
}

export async function removeConnectionAccount(
  deps: ServiceDependencies,
  context: RequestContext,
  sharedMailboxId: string,
  accountMailboxId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const shared = await lockSharedMailbox(tx, context, sharedMailboxId);
    const current = await findConnectionAccount(tx, sharedMailboxId, accountMailboxId);
    if (!current) throw new AppError('NOT_FOUND', 'This box is not a connection account of the mailbox');
    await deleteConnectionAccounts(tx, sharedMailboxId, [accountMailboxId]);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'connection_account.removed',
      targetType: 'connection_account',
      targetId: accountMailboxId,
      structureId: shared.mailbox.structureId,
      mailboxId: sharedMailboxId,
      before: toConnectionAccount(current),
    });
  });
}
