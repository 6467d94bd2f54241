import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { visibleStructureIds } from '../../platform/auth/caller';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf } from '../../platform/request-context';
import { decodeCursor, PageQuerySchema, pageSchema, toPage } from '../../shared/pagination';
import { AuditEventQuerySchema, AuditEventSchema, type AuditEvent } from './audit-log.schemas';
import { selectAuditEvents, type AuditEventRow } from './audit-log.repository';

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actor: { type: row.actorType, id: row.actorId },
    requestId: row.requestId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    structureId: row.structureId,
    mailboxId: row.mailboxId,
    cause: (row.cause as Record<string, unknown> | null) ?? null,
    before: row.before,
    after: row.after,
  };
}

export const auditLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/audit-events',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listAuditEvents',
        summary: 'Who changed what, when, before and after (newest first)',
        tags: ['Audit'],
        description:
          'Admins and readers see the events of their structures; events without a structure (API keys) are for operators.',
        querystring: Type.Composite([PageQuerySchema, AuditEventQuerySchema]),
        response: { 200: pageSchema(AuditEventSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => {
      const { caller } = contextOf(request);
      const { limit, cursor, ...filters } = request.query;
      const after = decodeCursor(cursor, 1);
      const rows = await selectAuditEvents(app.db, {
        ...filters,
        visibleStructureIds: visibleStructureIds(caller),
        beforeSequence: after ? Number(after[0]) : undefined,
        limit,
      });
      return toPage(rows, limit, (row) => [row.sequence], toAuditEvent);
    },
  );
};
