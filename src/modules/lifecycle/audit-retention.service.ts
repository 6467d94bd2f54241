import { recordAudit } from '../../platform/audit/audit';
import { allowTrailChange } from '../../platform/audit/trail-guard';
import { deleteAuditEventsBefore } from './audit-retention.repository';
import { auditRetentionCutoff } from './lifecycle-policy';
import { SWEEP_ACTOR, type SweepContext } from './lifecycle-sweep-context';

/** Events per transaction: bounded, so that a large first run neither holds locks long nor bloats one transaction. */
const BATCH_SIZE = 5000;

/**
 * (f) Audit events older than `auditRetentionMonths` are deleted, oldest first, in batches of one
 * transaction each, the trail's only deletions. Each batch records `audit_trail.pruned` (the
 * sweep as actor) with how many events went and the range of their sequence numbers; the sweep's
 * report gives the total. The feed keeps its own, shorter retention (`events.purge`).
 */
export async function pruneAuditTrail(context: SweepContext): Promise<{ count: number }> {
  const cutoff = auditRetentionCutoff(context.now, context.policy);
  let count = 0;
  for (;;) {
    const deleted = await context.deps.db.transaction(async (tx) => {
      await allowTrailChange(tx, 'prune');
      const batch = await deleteAuditEventsBefore(tx, cutoff, BATCH_SIZE);
      if (batch.deleted === 0) return 0;
      // The permission is not ended first: recording is an insert, which the guard never refuses.
      await recordAudit(tx, context.deps.clock, SWEEP_ACTOR, {
        action: 'audit_trail.pruned',
        targetType: 'audit_trail',
        targetId: context.sweepId,
        cause: {
          sweepId: context.sweepId,
          rule: 'audit_retention',
          retentionMonths: context.policy.auditRetentionMonths,
        },
        after: {
          deleted: batch.deleted,
          occurredBefore: cutoff.toISOString(),
          firstSequence: batch.firstSequence,
          lastSequence: batch.lastSequence,
        },
      });
      return batch.deleted;
    });
    count += deleted;
    if (deleted < BATCH_SIZE) return { count };
    await context.onBatch();
  }
}
