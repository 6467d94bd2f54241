import { and, desc, eq, inArray, like, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { auditEvents } from '../../db/schema';
import { escapeLike } from '../../db/escape-like';
import type { AuditEventQuery } from './audit-log.schemas';

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** Newest first, by insertion sequence (exact even when two events share a timestamp). */
export async function selectAuditEvents(
  executor: Executor,
  filters: AuditEventQuery & {
    visibleStructureIds: readonly string[] | undefined;
    beforeSequence?: number;
    limit: number;
  },
): Promise<AuditEventRow[]> {
  const conditions: (SQL | undefined)[] = [
    filters.visibleStructureIds ? inArray(auditEvents.structureId, [...filters.visibleStructureIds]) : undefined,
    filters.structureId ? eq(auditEvents.structureId, filters.structureId) : undefined,
    filters.mailboxId ? eq(auditEvents.mailboxId, filters.mailboxId) : undefined,
    filters.targetId ? eq(auditEvents.targetId, filters.targetId) : undefined,
    filters.action?.endsWith('.')
      ? like(auditEvents.action, escapeLike(filters.action) + '%')
      : filters.action
        ? eq(auditEvents.action, filters.action)
        : undefined,
    filters.beforeSequence !== undefined ? lt(auditEvents.sequence, filters.beforeSequence) : undefined,
  ];
  return executor
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.sequence))
    .limit(filters.limit + 1);
}
