import type { Transaction } from '../../db/database';
import { recordAudit } from '../../platform/audit/audit';
import { queueNotification } from '../notifications/notification-outbox';
import { adminDeletionDigest, ownerDeletionWarning, type DigestLine } from './lifecycle-messages';
import {
  daysLeftUntil,
  deletionWarningKey,
  inactivityCutoff,
  inactivityDeadline,
  lastSignOfLife,
  warningCutoff,
  warningDueFor,
} from './lifecycle-policy';
import { addToTally, emptyTally, SWEEP_ACTOR, type StepTally, type SweepContext } from './lifecycle-sweep-context';
import { findUsedDedupeKeys, selectWarningCandidates, type WarningCandidate } from './lifecycle.repository';

const BATCH_SIZE = 500;

interface DueWarning {
  box: WarningCandidate;
  deadline: Date;
  thresholdDays: number;
  key: string;
}

/**
 * (b) Warns the owner (the box's reference e-mail) of an inactivity deletion, at each threshold
 * (30 and 7 days by default), through the outbox with a dedupe key per box, deadline and
 * threshold: never twice for the same deadline, however many sweeps run, even at once (the
 * key's unique index settles a race). The structure's admins get one digest per sweep listing
 * the boxes warned, at the structure's contact e-mail when it has one. Boxes are not locked:
 * a warning changes no box.
 */
export async function warnBeforeDeletion(context: SweepContext): Promise<StepTally & { adminNotices: number }> {
  const window = {
    inactivityCutoff: inactivityCutoff(context.now, context.policy),
    warningCutoff: warningCutoff(context.now, context.policy),
  };
  const tally = emptyTally();
  let adminNotices = 0;
  let after: [string, string] | undefined;
  for (;;) {
    const candidates = await selectWarningCandidates(context.deps.db, window, after, BATCH_SIZE);
    if (candidates.length === 0) return { ...tally, adminNotices };
    const last = candidates[candidates.length - 1]!;
    after = [last.structureId, last.id];
    const due = dueWarnings(context, candidates);
    const used = await findUsedDedupeKeys(
      context.deps.db,
      due.map((warning) => warning.key),
    );
    const fresh = due.filter((warning) => !used.has(warning.key));
    if (fresh.length > 0) {
      const outcome = await context.deps.db.transaction((tx) => queueWarnings(context, tx, fresh));
      addToTally(tally, outcome.warnedIds);
      adminNotices += outcome.adminNotices;
    }
    await context.onBatch();
  }
}

function dueWarnings(context: SweepContext, candidates: WarningCandidate[]): DueWarning[] {
  return candidates.flatMap((box) => {
    const deadline = inactivityDeadline(lastSignOfLife(box), context.policy);
    const thresholdDays = warningDueFor(deadline, context.now, context.policy);
    return thresholdDays === null
      ? []
      : [{ box, deadline, thresholdDays, key: deletionWarningKey(box.id, deadline, thresholdDays) }];
  });
}

/** One transaction per batch: the owners' messages, their audit events and the admins' digests commit together. */
async function queueWarnings(context: SweepContext, tx: Transaction, warnings: DueWarning[]) {
  const warnedIds: string[] = [];
  const digests = new Map<string, { structure: WarningCandidate; lines: DigestLine[] }>();
  for (const { box, deadline, thresholdDays } of warnings) {
    const daysLeft = daysLeftUntil(deadline, context.now);
    const message = ownerDeletionWarning(box, deadline, thresholdDays, daysLeft);
    // false: a concurrent sweep queued this very warning first.
    if (!(await queueNotification(tx, message))) continue;
    warnedIds.push(box.id);
    await recordAudit(tx, context.deps.clock, SWEEP_ACTOR, {
      action: 'mailbox.deletion_warned',
      targetType: 'mailbox',
      targetId: box.id,
      structureId: box.structureId,
      mailboxId: box.id,
      cause: { sweepId: context.sweepId, rule: 'inactivity' },
      after: {
        deadline: deadline.toISOString(),
        thresholdDays,
        daysLeft,
        notificationKey: message.dedupeKey,
        recipient: 'owner',
      },
    });
    if (box.contactEmail !== null) {
      const digest = digests.get(box.structureId) ?? { structure: box, lines: [] };
      digest.lines.push({ mailboxId: box.id, email: box.email, deadline });
      digests.set(box.structureId, digest);
    }
  }
  for (const [structureId, { structure, lines }] of digests) {
    const notice = adminDeletionDigest(
      { id: structureId, name: structure.structureName, contactEmail: structure.contactEmail! },
      lines,
      context.sweepId,
    );
    await queueNotification(tx, notice);
    await recordAudit(tx, context.deps.clock, SWEEP_ACTOR, {
      action: 'structure.deletion_warnings_notified',
      targetType: 'structure',
      targetId: structureId,
      structureId,
      cause: { sweepId: context.sweepId, rule: 'inactivity' },
      after: {
        mailboxIds: lines.map((line) => line.mailboxId),
        notificationKey: notice.dedupeKey,
        recipient: 'structure contact',
      },
    });
  }
  return { warnedIds, adminNotices: digests.size };
}
