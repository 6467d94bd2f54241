import { assertOperator } from '../../platform/auth/authorization';
import { visibleStructureIds } from '../../platform/auth/caller';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { isoDate } from '../../shared/clock';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { MailboxRecord } from '../mailboxes';
import { DAY_MS, inactivityCutoff, type LifecyclePolicy } from './lifecycle-policy';
import { runLifecycleSweep } from './lifecycle-sweep.service';
import { selectUpcoming, type UpcomingRow } from './lifecycle-upcoming.repository';
import { advanceLastActivity } from './lifecycle.repository';
import type { ActivityBody, SweepReport, UpcomingItem, UpcomingQuery, UpcomingReason } from './lifecycle.schemas';

/**
 * Records that the mail platform saw the box used. The last activity only moves forward; a
 * reported time in the future counts as now (a platform clock running ahead must not postpone
 * deletion). Not audited: it is usage, not an administrative change. A deleted box has no
 * activity (409: restore it first).
 */
export async function recordMailboxActivity(
  deps: ServiceDependencies,
  context: RequestContext,
  record: MailboxRecord,
  body: ActivityBody,
): Promise<void> {
  assertOperator(context.caller);
  if (record.mailbox.status === 'deleted') {
    throw new AppError('INVALID_TRANSITION', 'A deleted mailbox records no activity; restore it first', undefined, {
      currentStatus: record.mailbox.status,
      action: 'activity',
    });
  }
  const now = deps.clock.now();
  const reported = body?.at === undefined ? now : new Date(body.at);
  await advanceLastActivity(deps.db, record.mailbox.id, reported > now ? now : reported);
}

/** Runs one sweep now, for the operator (the scheduled one runs the same code). */
export async function sweepNow(
  deps: ServiceDependencies,
  policy: LifecyclePolicy,
  context: RequestContext,
): Promise<SweepReport> {
  assertOperator(context.caller);
  const report = await runLifecycleSweep(deps, policy, { trigger: 'api' });
  context.log.info(
    {
      sweepId: report.sweepId,
      deactivated: report.deactivated.count,
      warned: report.warned.count,
      deleted: report.deleted.count,
      purged: report.purged.count,
      importFilesDeleted: report.importFilesDeleted.count,
      auditEventsDeleted: report.auditEventsDeleted.count,
    },
    'lifecycle sweep run on request',
  );
  return report;
}

const toUpcomingItem = (row: UpcomingRow): UpcomingItem => ({
  mailboxId: row.id,
  structureId: row.structure_id,
  email: row.email,
  type: row.type,
  status: row.status,
  reason: row.reason,
  dueAt: row.due_at,
  expiresAt: row.expires_at,
  lastActivityAt: row.last_activity_at,
  lastSignOfLifeAt: row.sign_of_life,
});

/** What falls due from now to now + withinDays (and what is overdue, waiting for the next sweep), scoped to the caller. */
export async function listUpcoming(
  deps: ServiceDependencies,
  policy: LifecyclePolicy,
  context: RequestContext,
  query: UpcomingQuery & { limit: number; cursor?: string },
): Promise<Page<UpcomingItem>> {
  const visible = visibleStructureIds(context.caller);
  if (visible?.length === 0) return { items: [], nextCursor: null };
  const after = decodeCursor(query.cursor, 3);
  const windowEnd = new Date(deps.clock.now().getTime() + query.withinDays * DAY_MS);
  const rows = await selectUpcoming(deps.db, {
    visibleStructureIds: visible,
    structureId: query.structureId,
    reason: query.reason,
    expiryUntil: isoDate(windowEnd),
    signOfLifeUntil: inactivityCutoff(windowEnd, policy),
    inactivitySeconds: (policy.inactivityDays * DAY_MS) / 1000,
    after: after ? cursorKey(after) : undefined,
    limit: query.limit,
  });
  return toPage(rows, query.limit, (row) => [row.due_at, row.reason, row.id], toUpcomingItem);
}

function cursorKey(after: (string | number | null)[]): [string, UpcomingReason, string] {
  const [dueAt, reason, id] = after;
  const valid =
    typeof dueAt === 'string' &&
    !Number.isNaN(Date.parse(dueAt)) &&
    (reason === 'expiry' || reason === 'inactivity') &&
    typeof id === 'string' &&
    /^[0-9a-f-]{36}$/i.test(id);
  if (!valid) {
    throw new AppError('BAD_REQUEST', 'The cursor is not one this list produced', [
      { field: 'cursor', code: 'CURSOR_INVALID', message: 'Use the nextCursor of the previous page as it was given' },
    ]);
  }
  return [dueAt, reason, id];
}
