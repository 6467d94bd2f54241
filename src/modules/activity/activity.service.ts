import type { LifecyclePolicy } from '../lifecycle/lifecycle-policy';
import { listUpcoming } from '../lifecycle/lifecycle.service';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { selectAuditEvents } from '../audit-log';
import { MAILBOX_STATUSES, MAILBOX_TYPES } from '../../domain/mailbox-vocabulary';
import { findStructure } from '../structures';
import { countMailboxesByStatus, countMailboxesByType, findTemporaryBoxesWithoutExpiry } from './activity.repository';
import type { ActivityQuery, ActivityWarning, RecentChange, StructureActivity } from './activity.schemas';

const zeroes = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * The structure's dashboard: counts, latest audit events, and what the lifecycle sweeps will do
 * soon. The two due lists are the lifecycle's own (`GET /v1/lifecycle/upcoming`), cut to `limit`,
 * so both places always agree on what is due and when.
 */
export async function getStructureActivity(
  deps: ServiceDependencies,
  policy: LifecyclePolicy,
  context: RequestContext,
  structureId: string,
  query: ActivityQuery,
): Promise<StructureActivity> {
  if (!(await findStructure(deps.db, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
  const deletionWithinDays = query.deletionWithinDays ?? Math.max(...policy.warningDays);
  const [byStatusRows, byTypeRows, events, expiring, inactive, withoutExpiry] = await Promise.all([
    countMailboxesByStatus(deps.db, structureId),
    countMailboxesByType(deps.db, structureId),
    selectAuditEvents(deps.db, { structureId, visibleStructureIds: undefined, limit: query.limit }),
    listUpcoming(deps, policy, context, {
      structureId,
      withinDays: query.expiringWithinDays,
      reason: 'expiry',
      limit: query.limit,
    }),
    listUpcoming(deps, policy, context, {
      structureId,
      withinDays: deletionWithinDays,
      reason: 'inactivity',
      limit: query.limit,
    }),
    findTemporaryBoxesWithoutExpiry(deps.db, structureId, query.limit),
  ]);
  const warnings: ActivityWarning[] = [];
  if (withoutExpiry.count > 0) {
    warnings.push({
      code: 'INT_WITHOUT_EXPIRY',
      count: withoutExpiry.count,
      message: `${withoutExpiry.count} temporary (INT) box(es) in use have no expiry date: set one, or they stay open until someone closes them.`,
      mailboxIds: withoutExpiry.mailboxIds,
    });
  }
  const byStatus = zeroes(MAILBOX_STATUSES);
  for (const row of byStatusRows) byStatus[row.status] = row.count;
  const byType = zeroes(MAILBOX_TYPES);
  for (const row of byTypeRows) byType[row.type] = row.count;
  const recentChanges: RecentChange[] = events.slice(0, query.limit).map((event) => ({
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    mailboxId: event.mailboxId,
    actor: { type: event.actorType, id: event.actorId },
  }));
  return {
    structureId,
    generatedAt: deps.clock.now().toISOString(),
    counts: { total: Object.values(byType).reduce((sum, count) => sum + count, 0), byStatus, byType },
    recentChanges,
    expiringSoon: {
      withinDays: query.expiringWithinDays,
      items: expiring.items,
      hasMore: expiring.nextCursor !== null,
    },
    dueForDeletion: { withinDays: deletionWithinDays, items: inactive.items, hasMore: inactive.nextCursor !== null },
    warnings,
  };
}
