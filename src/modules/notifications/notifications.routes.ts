import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { notifications } from '../../db/schema';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { visibleStructureIds } from '../../platform/auth/caller';
import { problemResponses } from '../../platform/errors/problem.schema';
import { contextOf } from '../../platform/request-context';
import { decodeCursor, PageQuerySchema, pageSchema, toPage } from '../../shared/pagination';
import { NotificationQuerySchema, NotificationSchema, type Notification } from './notifications.schemas';

type NotificationRow = typeof notifications.$inferSelect;

const toNotification = (row: NotificationRow): Notification => ({
  ...row,
  kind: row.kind as Notification['kind'],
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/notifications', {
    schema: {
      operationId: 'listNotifications', summary: 'The notification outbox (invitations, reminders, warnings), newest first',
      tags: ['Notifications'],
      querystring: Type.Composite([PageQuerySchema, NotificationQuerySchema]),
      response: { 200: pageSchema(NotificationSchema), ...problemResponses(404) },
    },
  }, async (request) => {
    const { caller } = contextOf(request);
    const { limit, cursor, structureId, mailboxId, kind, status } = request.query;
    if (structureId) assertStructureAccess(caller, structureId, 'read', 'Structure');
    const visible = visibleStructureIds(caller);
    const after = decodeCursor(cursor, 2);
    const rows = await app.db
      .select()
      .from(notifications)
      .where(
        and(
          visible ? inArray(notifications.structureId, [...visible]) : undefined,
          structureId ? eq(notifications.structureId, structureId) : undefined,
          mailboxId ? eq(notifications.mailboxId, mailboxId) : undefined,
          kind ? eq(notifications.kind, kind) : undefined,
          status ? eq(notifications.status, status) : undefined,
          after ? sql`(${notifications.createdAt}, ${notifications.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit + 1);
    return toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id], toNotification);
  });
};
