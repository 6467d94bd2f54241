import { randomUUID } from 'node:crypto';
import type { Transaction } from '../../db/database';
import { recordAudit, type AuditAction } from '../../platform/audit/audit';
import type { ServiceDependencies } from '../../platform/request-context';
import { isoDate } from '../../shared/clock';
import { withdrawActiveAddress } from '../correspondences';
import { toMailbox } from '../mailboxes/mailbox-mapper';
import { nextStatus } from '../../domain/mailbox-status';
import { findMailbox, updateMailboxRow, type MailboxRecord } from '../mailboxes';
import { inactivityCutoff, inactivityDeadline, lastSignOfLife, type LifecyclePolicy } from './lifecycle-policy';
import { deleteExpiredImportFiles } from './lifecycle-import-files.service';
import { warnBeforeDeletion } from './lifecycle-warnings.service';
import { lockExpiredBatch, lockInactiveBatch } from './lifecycle.repository';
import { purgePastRetention } from './lifecycle-purge.service';
import { pruneAuditTrail } from './audit-retention.service';
import type { SweepReport } from './lifecycle.schemas';
import { addToTally, emptyTally, SWEEP_ACTOR, type StepTally, type SweepContext } from './lifecycle-sweep-context';

const BATCH_SIZE = 200;

/**
 * Runs one sweep: deactivate expired boxes, warn ahead of inactivity deletions, delete inactive
 * boxes, purge boxes past retention (and their personal data in the audit trail), delete the
 * uploads of imports ended past their retention, delete audit events past theirs.
 * Each batch is one transaction holding its rows' locks (SKIP LOCKED), with each change and its
 * audit event; a crash leaves whole batches, and
 * the next run carries on (every step looks at the state, so it is safe to run again).
 */
export async function runLifecycleSweep(
  deps: ServiceDependencies,
  policy: LifecyclePolicy,
  options: { trigger: SweepReport['trigger']; onBatch?: () => Promise<void> },
): Promise<SweepReport> {
  const context: SweepContext = {
    deps,
    policy,
    sweepId: randomUUID(),
    now: deps.clock.now(),
    onBatch: options.onBatch ?? (async () => undefined),
  };
  const deactivated = await deactivateExpired(context);
  const warned = await warnBeforeDeletion(context);
  const deleted = await deleteInactive(context);
  const purged = await purgePastRetention(context);
  const importFilesDeleted = await deleteExpiredImportFiles(context);
  const auditEventsDeleted = await pruneAuditTrail(context);
  return {
    sweepId: context.sweepId,
    trigger: options.trigger,
    startedAt: context.now.toISOString(),
    finishedAt: deps.clock.now().toISOString(),
    deactivated,
    warned,
    deleted,
    purged,
    importFilesDeleted,
    auditEventsDeleted,
  };
}

/** Locks and handles batches until none is left; each batch is one transaction. */
async function inBatches(
  context: SweepContext,
  lock: (tx: Transaction, afterId: string | undefined) => Promise<MailboxRecord[]>,
  handle: (tx: Transaction, record: MailboxRecord) => Promise<boolean>,
): Promise<StepTally> {
  const tally = emptyTally();
  let afterId: string | undefined;
  for (;;) {
    const { seen, changed } = await context.deps.db.transaction(async (tx) => {
      const records = await lock(tx, afterId);
      const done: string[] = [];
      for (const record of records) {
        if (await handle(tx, record)) done.push(record.mailbox.id);
      }
      return { seen: records.map((record) => record.mailbox.id), changed: done };
    });
    if (seen.length === 0) return tally;
    addToTally(tally, changed);
    afterId = seen[seen.length - 1];
    await context.onBatch();
  }
}

/** Applies a status change to a locked box and audits it with the sweep as actor. */
async function applyStatusChange(
  context: SweepContext,
  tx: Transaction,
  current: MailboxRecord,
  values: Parameters<typeof updateMailboxRow>[3],
  audit: { action: AuditAction; cause: Record<string, unknown> },
): Promise<true> {
  const id = current.mailbox.id;
  const row = await updateMailboxRow(tx, id, current.mailbox.version, { ...values, updatedAt: context.now });
  // The row is locked by this transaction: its version cannot have moved. Roll the batch back if it did.
  if (!row) throw new Error(`mailbox ${id} changed under the sweep's lock`);
  const updated = await findMailbox(tx, id);
  await recordAudit(tx, context.deps.clock, SWEEP_ACTOR, {
    action: audit.action,
    targetType: 'mailbox',
    targetId: id,
    structureId: row.structureId,
    mailboxId: id,
    cause: { sweepId: context.sweepId, ...audit.cause },
    before: toMailbox(current),
    after: toMailbox(updated!),
  });
  return true;
}

/** (a) The expiry date deactivates the box on that date, remembering the status it interrupted. */
function deactivateExpired(context: SweepContext): Promise<StepTally> {
  const today = isoDate(context.now);
  return inBatches(
    context,
    (tx, afterId) => lockExpiredBatch(tx, today, afterId, BATCH_SIZE),
    async (tx, current) => {
      const change = nextStatus(current.mailbox.status, 'deactivate', current.mailbox.formerStatus);
      if (!change) return false;
      return applyStatusChange(context, tx, current, change, {
        action: 'mailbox.deactivated',
        cause: { rule: 'expiry', expiresAt: current.mailbox.expiresAt },
      });
    },
  );
}

/** (c) Soft deletion after the inactivity period: the MSSanté address is withdrawn from the directory feed. */
function deleteInactive(context: SweepContext): Promise<StepTally> {
  const cutoff = inactivityCutoff(context.now, context.policy);
  return inBatches(
    context,
    (tx, afterId) => lockInactiveBatch(tx, cutoff, afterId, BATCH_SIZE),
    async (tx, current) => {
      const change = nextStatus(current.mailbox.status, 'delete', current.mailbox.formerStatus);
      if (!change) return false;
      const signOfLife = lastSignOfLife(current.mailbox);
      await withdrawActiveAddress(tx, current.mailbox.id, context.now);
      return applyStatusChange(
        context,
        tx,
        current,
        { ...change, deletedAt: context.now },
        {
          action: 'mailbox.deleted',
          cause: {
            rule: 'inactivity',
            lastSignOfLifeAt: signOfLife.toISOString(),
            deadline: inactivityDeadline(signOfLife, context.policy).toISOString(),
          },
        },
      );
    },
  );
}
