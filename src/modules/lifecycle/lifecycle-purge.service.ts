import { recordAudits } from '../../platform/audit/audit';
import { allowTrailChange, endTrailChange } from '../../platform/audit/trail-guard';
import { toMailbox } from '../mailboxes/mailbox-mapper';
import type { MailboxRow } from '../mailboxes';
import { PURGED_FIELDS, purgeMailboxPersonalData } from './lifecycle-purge.repository';
import { retentionCutoff } from './lifecycle-policy';
import { addToTally, emptyTally, SWEEP_ACTOR, type StepTally, type SweepContext } from './lifecycle-sweep-context';
import { lockPurgeableBatch } from './lifecycle.repository';
import { identifyingValuesOf, REDACTION_MARKER, redactTrailOf } from './trail-redaction.repository';

const BATCH_SIZE = 200;

/**
 * (d) Past retention, a deleted box keeps only what is not personal. In one transaction per
 * batch: its row and what other tables copied of it are erased (`purgeMailboxPersonalData`), the
 * personal values of its audit events and event-feed entries are replaced by a marker (the
 * trail's only updates, `trail-redaction.repository.ts`), and one `mailbox.purged` per box says
 * how many of each were redacted. Who did what, when, to which box stays.
 */
export async function purgePastRetention(context: SweepContext): Promise<StepTally> {
  const cutoff = retentionCutoff(context.now, context.policy);
  const tally = emptyTally();
  let afterId: string | undefined;
  for (;;) {
    const { seen, purged } = await context.deps.db.transaction(async (tx) => {
      const records = await lockPurgeableBatch(tx, cutoff, afterId, BATCH_SIZE);
      // Read before the purge erases them: the values to look for in the trail.
      const boxes = await identifyingValuesOf(
        tx,
        records.map((record) => record.mailbox),
      );
      const rows: { row: MailboxRow; deletedAt: Date | null }[] = [];
      for (const record of records) {
        const row = await purgeMailboxPersonalData(tx, record.mailbox.id, context.now);
        if (row) rows.push({ row, deletedAt: record.mailbox.deletedAt });
      }
      const done = new Set(rows.map(({ row }) => row.id));
      await allowTrailChange(tx, 'redact');
      const redacted = await redactTrailOf(
        tx,
        boxes.filter((box) => done.has(box.id)),
      );
      await endTrailChange(tx);
      await recordAudits(
        tx,
        context.deps.clock,
        SWEEP_ACTOR,
        rows.map(({ row, deletedAt }) => ({
          action: 'mailbox.purged' as const,
          targetType: 'mailbox',
          targetId: row.id,
          structureId: row.structureId,
          mailboxId: row.id,
          cause: { sweepId: context.sweepId, rule: 'retention', deletedAt: deletedAt?.toISOString() ?? null },
          // Not the erased values: the event must not keep what the purge removes.
          before: { purgedFields: PURGED_FIELDS },
          after: {
            ...toMailbox({ mailbox: row, address: null }),
            redacted: { marker: REDACTION_MARKER, ...(redacted.get(row.id) ?? { auditEvents: 0, feedEvents: 0 }) },
          },
        })),
      );
      return { seen: records.map((record) => record.mailbox.id), purged: [...done] };
    });
    if (seen.length === 0) return tally;
    addToTally(tally, purged);
    afterId = seen[seen.length - 1];
    await context.onBatch();
  }
}
