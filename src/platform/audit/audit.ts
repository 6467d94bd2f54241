import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../db/database';
import type { SQL } from 'drizzle-orm';
import { insertFromJsonQuery } from '../../db/bulk-json';
import { auditEvents } from '../../db/schema';
import type { Clock } from '../../shared/clock';

/**
 * Every action the trail records, `<target>.<past participle>`. An event's `action` is one of
 * these (a typo or an invented action does not compile); `GET /v1/audit-events?action=` keeps
 * taking a string, so the contract does not change when one is added. Adding one: append it here,
 * in its target's group, and pass it to `recordAudit`.
 */
export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'structure.created',
  'structure.updated',
  'structure.deleted',
  'structure.deletion_warnings_notified',
  'mailbox.created',
  'mailbox.updated',
  'mailbox.registered',
  'mailbox.registration_completed',
  'mailbox.validated',
  'mailbox.rejected',
  'mailbox.deactivated',
  'mailbox.reactivated',
  'mailbox.deleted',
  'mailbox.restored',
  'mailbox.purged',
  'mailbox.type_changed',
  'mailbox.transferred',
  'mailbox.transferred_out',
  'mailbox.email_changed',
  'mailbox.reminded',
  'mailbox.deletion_warned',
  'correspondence.assigned',
  'correspondence.changed',
  'correspondence.withdrawn',
  'connection_account.added',
  'connection_account.removed',
  'connection_account.updated',
  'connection_accounts.replaced',
  'delegate.added',
  'delegate.removed',
  'email_change_request.created',
  'email_change_request.approved',
  'email_change_request.rejected',
  'email_change_request.cancelled',
  'reminder.sent',
  'import.created',
  'import.crashed',
  'import.file_deleted',
  'reference.extraction.uploaded',
  'reference.extraction.loaded',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who made a change: an API key (with the request it came in), the system (jobs, sweeps), or a user registering. */
export interface AuditActor {
  readonly type: 'api_key' | 'system' | 'registration';
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
    type: request.caller ? 'api_key' : 'registration',
    id: request.caller?.apiKeyId ?? null,
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
 * Appends one event. Callers pass their transaction handle so that the event commits or rolls
 * back with the change it describes.
 */
export async function recordAudit(
  executor: Executor,
  clock: Clock,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await executor.insert(auditEvents).values(auditRow(clock.now(), actor, entry));
}

/**
 * The statement appending many events at once (bulk imports): same fields and same transaction
 * rule as `recordAudit`, one instant for the whole batch. Null when there is nothing to append.
 */
export function auditEventsInsert(clock: Clock, actor: AuditActor, entries: readonly AuditEntry[]): SQL | null {
  const occurredAt = clock.now();
  return insertFromJsonQuery(
    auditEvents,
    entries.map((entry) => auditRow(occurredAt, actor, entry)),
  );
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
