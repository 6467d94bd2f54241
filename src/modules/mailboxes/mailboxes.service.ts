import { isUniqueViolation } from '../../db/errors';
import { recordAudit } from '../../platform/audit/audit';
import { visibleStructureIds } from '../../platform/auth/caller';
import { AppError, businessRule } from '../../domain/errors/error-catalogue';
import { receivesInvitations, type MailboxType } from '../../domain/mailbox-vocabulary';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type JsonText, type Page } from '../../shared/pagination';
import { findStructure } from '../structures';
import { setActiveAddressTestFlag } from '../correspondences';
import { invitationMessage } from '../notifications/messages';
import { queueNotification } from '../notifications/notification-outbox';
import { assertExpiryRequirement, assertMailboxFields, emailTaken, lockMailboxForWrite } from './mailbox-assertions';
import { mergeFields, normaliseFields, toColumns, toMailbox } from './mailbox-mapper';
import { buildNewMailbox, mailboxAuditView } from './new-mailbox';
import type {
  CreateMailboxBody,
  Mailbox,
  MailboxCounts,
  MailboxListQuery,
  UpdateMailboxBody,
} from './mailboxes.schemas';
import {
  countMailboxesByStatus,
  findMailboxIdByEmail,
  insertMailbox,
  updateMailboxRow,
  type MailboxRecord,
} from './mailboxes.repository';
import { listMailboxes as selectMailboxes, sortColumnsOf, type ListedMailbox } from './mailbox-list.repository';

export interface VersionedMailbox {
  mailbox: Mailbox;
  version: number;
}
export const versioned = (record: MailboxRecord): VersionedMailbox => ({
  mailbox: toMailbox(record),
  version: record.mailbox.version,
});

/** The e-mail's unique index has the last word over concurrent creates and changes. */
export async function withEmailUniqueness<T>(email: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'mailboxes_email_key_active_idx')) throw emailTaken(email);
    throw error;
  }
}

/**
 * `notify` asks for this box's invitation: refused for an ORG or APP box rather than silently
 * dropped, since the caller asked for it about this very box (an import's `notify` is a file-wide
 * option: there the ORG and APP rows are created without one and counted as skipped).
 */
function assertInvitable(type: MailboxType, notify: boolean | undefined): void {
  if (!notify || receivesInvitations(type)) return;
  throw businessRule(`A ${type} box is not invited: its reference address has no person to complete a registration`, [
    {
      field: 'notify',
      code: 'INVITATION_NOT_FOR_TYPE',
      message: 'Invitations go to MED, PER and INT boxes only: create this box without `notify`',
    },
  ]);
}

export async function createMailbox(
  deps: ServiceDependencies,
  context: RequestContext,
  body: CreateMailboxBody,
): Promise<VersionedMailbox> {
  const { notify, structureId, ...given } = normaliseFields(body);
  assertMailboxFields(given);
  assertInvitable(given.type, notify);
  return withEmailUniqueness(given.email, () =>
    deps.db.transaction(async (tx) => {
      if (!(await findStructure(tx, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
      await assertExpiryRequirement(tx, given, structureId);
      if (await findMailboxIdByEmail(tx, given.email)) throw emailTaken(given.email);
      const { row: built, token } = buildNewMailbox(given, structureId, deps.clock.now(), 'preregistered');
      const row = await insertMailbox(tx, built);
      if (notify && token !== null) await queueNotification(tx, invitationMessage(row, token));
      const mailbox = mailboxAuditView({ mailbox: row, address: null });
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'mailbox.created',
        targetType: 'mailbox',
        targetId: row.id,
        structureId,
        mailboxId: row.id,
        after: mailbox,
      });
      return { mailbox, version: row.version };
    }),
  );
}

export async function listMailboxes(
  deps: ServiceDependencies,
  context: RequestContext,
  query: MailboxListQuery & { limit: number; cursor?: string },
): Promise<Page<JsonText>> {
  const { columns } = sortColumnsOf(query.sort);
  const isSearch = query.q !== undefined;
  // The key: the sort, a search's rank, the sort columns (the id last).
  const after = decodeCursor(query.cursor, 1 + (isSearch ? 1 : 0) + columns.length);
  if (after && after[0] !== query.sort) {
    throw new AppError('BAD_REQUEST', 'This cursor belongs to another sort order', [
      { field: 'cursor', code: 'CURSOR_SORT_MISMATCH', message: 'Keep the same sort while paging' },
    ]);
  }
  // A rank is a count: anything else was not produced by this list (and would fail as SQL).
  if (after && isSearch && !(Number.isInteger(after[1]) && (after[1] as number) >= 0)) {
    throw new AppError('BAD_REQUEST', 'The cursor is not one this list produced', [
      { field: 'cursor', code: 'CURSOR_INVALID', message: 'Use the nextCursor of the previous page as it was given' },
    ]);
  }
  const records = await selectMailboxes(deps.db, {
    visibleStructureIds: visibleStructureIds(context.caller),
    structureId: query.structureId,
    status: query.status,
    type: query.type,
    search: query.q,
    sort: query.sort,
    after: after?.slice(1),
    limit: query.limit,
  });
  const keyOf = (mailbox: ListedMailbox) => {
    const name = query.sort.replace(/^-/, '');
    const key =
      name === 'email'
        ? [mailbox.emailKey]
        : name === 'createdAt'
          ? [mailbox.createdAt.toISOString()]
          : [mailbox.lastNameKey, mailbox.firstNameKey];
    return [query.sort, ...(isSearch ? [mailbox.rank] : []), ...key, mailbox.id];
  };
  return toPage(records, query.limit, keyOf, ({ view }) => view);
}

export async function countMailboxes(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string | undefined,
): Promise<MailboxCounts> {
  const scope = structureId ? [structureId] : visibleStructureIds(context.caller);
  const { byStatus, pendingEmailChangeRequests } = await countMailboxesByStatus(deps.db, scope);
  const countOf = (status: string) => byStatus.find((row) => row.status === status)?.count ?? 0;
  return {
    valid: countOf('valid'),
    pending: countOf('pending'),
    preregistered: countOf('preregistered'),
    rejected: countOf('rejected'),
    deactivated: countOf('deactivated'),
    emailChangeRequests: pendingEmailChangeRequests,
  };
}

export async function updateMailbox(
  deps: ServiceDependencies,
  context: RequestContext,
  mailboxId: string,
  body: UpdateMailboxBody,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedMailbox> {
  const changes = normaliseFields(body);
  return deps.db.transaction(async (tx) => {
    const current = await lockMailboxForWrite(tx, context.caller, mailboxId, ifMatch);
    const merged = mergeFields(current.mailbox, changes);
    assertMailboxFields(merged);
    await assertExpiryRequirement(tx, merged, current.mailbox.structureId);
    const row = await updateMailboxRow(tx, mailboxId, current.mailbox.version, {
      ...toColumns(merged),
      updatedAt: deps.clock.now(),
    });
    if (!row) throw new AppError('PRECONDITION_FAILED', 'The mailbox was changed meanwhile: fetch it again');
    const address =
      current.address && current.address.isTest !== row.isTest
        ? ((await setActiveAddressTestFlag(tx, mailboxId, row.isTest)) ?? null)
        : current.address;
    const updated = { mailbox: row, address };
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'mailbox.updated',
      targetType: 'mailbox',
      targetId: mailboxId,
      structureId: row.structureId,
      mailboxId,
      before: toMailbox(current),
      after: toMailbox(updated),
    });
    return versioned(updated);
  });
}
