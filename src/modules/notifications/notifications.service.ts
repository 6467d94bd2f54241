import { canWriteStructure, isOperator, visibleStructureIds } from '../../platform/auth/caller';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { hideRegistrationToken } from './messages';
import type { Notification, NotificationQuery } from './notifications.schemas';
import { selectNotifications, type NotificationRow } from './notifications.repository';

export const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  structureId: row.structureId,
  mailboxId: row.mailboxId,
  kind: row.kind as Notification['kind'],
  recipient: row.recipient,
  subject: row.subject,
  body: row.body,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

export async function listNotifications(
  deps: ServiceDependencies,
  context: RequestContext,
  query: NotificationQuery & { limit: number; cursor?: string },
): Promise<Page<Notification>> {
  const { limit, cursor, ...filters } = query;
  const rows = await selectNotifications(deps.db, {
    ...filters,
    visibleStructureIds: visibleStructureIds(context.caller),
    after: decodeCursor(cursor, 2),
    limit,
  });
  const page = toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id], toNotification);
  // Only who may act on a structure's boxes sees the sign-up links in its notifications.
  const mayAct = (item: Notification) =>
    item.structureId === null ? isOperator(context.caller) : canWriteStructure(context.caller, item.structureId);
  return {
    ...page,
    items: page.items.map((item) => (mayAct(item) ? item : { ...item, body: hideRegistrationToken(item.body) })),
  };
}
