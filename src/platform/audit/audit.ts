import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { insertFromJsonQuery } from '../../db/bulk-json';
import { auditEvents } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import type { ActorType } from '../../domain/actor-types';
import type { AuditAction } from './audit-actions';
import { eventTypeSql } from './event-types';

export { AUDIT_ACTIONS, type AuditAction } from './audit-actions';

/** Who made a change (`domain/actor-types.ts`), with the request it came in when it came in one. */
export interface AuditActor {
  readonly type: ActorType;
  readonly id: string | null;
  readonly requestId: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  targetType: string;
  targetId: string;
  structureId?: string | null;
  mailboxId?: string | null;
  /** Why it happened when not a direct request, e.g. `{ importId }` or `{ sweepId }`. */
  cause?: Record<string, unknown> | null;
  before?: unknown;
  after?: unknown;
}

export function auditActorOf(request: FastifyRequest): AuditActor {
  return {
    type: request.caller?.kind ?? 'registration',
    id: request.caller?.actorId ?? null,
    requestId: request.id,
  };
}

export const systemActor = (name: string): AuditActor => ({ type: 'system', id: name, requestId: null });

/** The row of one event; every event of a batch shares the batch's instant. */
function auditRow(occurredAt: Date, actor: AuditActor, entry: AuditEntry) {
  return {
    id: randomUUID(),
    occurredAt,
    actorType: actor.type,
    actorId: actor.id,
    requestId: actor.requestId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    structureId: entry.structureId ?? null,
    mailboxId: entry.mailboxId ?? null,
    cause: entry.cause ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}

/**
 * Appends one entry to the trail and publishes its event (ARCHITECTURE.md, "The event feed").
 * Callers pass their transaction handle so that both commit or roll back with the change they describe.
 */
export async function recordAudit(
  executor: Executor,
  clock: Clock,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await recordAudits(executor, clock, actor, [entry]);
}

/**
 * The statement appending many entries and their events at once (bulk imports): same fields and
 * same transaction rule as `recordAudit`, one instant for the whole batch. One statement, set-based:
 * the events are selected from the audit rows it inserts, so the snapshots travel once. Null when
 * there is nothing to append.
 */
export function auditEventsInsert(clock: Clock, actor: AuditActor, entries: readonly AuditEntry[]): SQL | null {
  const occurredAt = clock.now();
  const auditInsert = insertFromJsonQuery(
    auditEvents,
    entries.map((entry) => auditRow(occurredAt, actor, entry)),
  );
  if (!auditInsert) return null;
  return sql`with recorded as (${auditInsert} returning *)
    insert into events (type, occurred_at, structure_id, subject_type, subject_id, mailbox_id,
                        actor_type, actor_id, request_id, cause, data)
    select ${eventTypeSql(sql`action`)}, occurred_at, structure_id, target_type, target_id, mailbox_id,
           actor_type, actor_id, request_id, cause, after
    from recorded order by sequence`;
}

export async function recordAudits(
  executor: Executor,
  clock: Clock,
  actor: AuditActor,
  entries: readonly AuditEntry[],
): Promise<void> {
  const query = auditEventsInsert(clock, actor, entries);
  if (query) await executor.execute(query);
}
