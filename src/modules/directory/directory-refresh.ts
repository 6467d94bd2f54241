import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/database';
import { recordAudits, systemActor, type AuditEntry } from '../../platform/audit/audit';
import type { Clock } from '../../shared/clock';
import { isoDate } from '../../shared/clock';
import { hasBlockingIssue } from '../alimentation-report/rules';
import { evaluateFedMailboxes, type EvaluatedMailbox } from '../alimentation-report/evaluate-fed-mailboxes';
import { findReferenceInForce } from '../reference';
import { NotPublishableError, toDirectoryEntry, type DirectoryEntry } from './directory-entry';
import {
  entryKey,
  loadKnownEntries,
  lockFeedState,
  saveFeedState,
  upsertEntries,
  withdrawEntries,
  type PublishedEntry,
  type Withdrawal,
  type WithdrawnEntry,
} from './directory.repository';

const WRITE_BATCH = 5000;

export interface RefreshOutcome {
  refreshed: boolean;
  added: number;
  changed: number;
  withdrawn: number;
  published: number;
  lastSequence: number;
}

/** The feed's rule: a fed box with an address and no blocking issue of the alimentation rules. */
function publishableEntry(box: EvaluatedMailbox): DirectoryEntry | undefined {
  if (box.subject.correspondence === null || hasBlockingIssue(box.issues)) return undefined;
  try {
    return toDirectoryEntry(box.subject, box.structure);
  } catch (error) {
    if (error instanceof NotPublishableError) return undefined;
    throw error;
  }
}

const REFRESH_ACTOR = systemActor('directory.refresh');

/** A published entry's audit entry (and event): `directory.entry_published` or `…_changed`, with the entry. */
const publicationAudit = (entry: PublishedEntry, isChange: boolean): AuditEntry => ({
  action: isChange ? 'directory.entry_changed' : 'directory.entry_published',
  targetType: 'directory_entry',
  targetId: entry.address,
  structureId: entry.structureId,
  mailboxId: entry.mailboxId,
  after: entry.entry,
});

const withdrawalAudit = (withdrawn: WithdrawnEntry): AuditEntry => ({
  action: 'directory.entry_withdrawn',
  targetType: 'directory_entry',
  targetId: withdrawn.address,
  structureId: withdrawn.structureId,
  mailboxId: withdrawn.mailboxId,
  before: withdrawn.entry,
  after: null,
});

/** Writes a batch of entries with their audit entries and events, in the refresh's transaction. */
async function publishBatch(
  tx: Executor,
  clock: Clock,
  at: Date,
  batch: readonly PublishedEntry[],
  changed: ReadonlySet<string>,
) {
  await upsertEntries(tx, batch, at);
  await recordAudits(
    tx,
    clock,
    REFRESH_ACTOR,
    batch.map((entry) => publicationAudit(entry, changed.has(entryKey(entry.address, entry.ansType)))),
  );
}

const hashOf = (entry: DirectoryEntry, structureId: string) =>
  createHash('sha256')
    .update(JSON.stringify([structureId, entry]))
    .digest('base64url');

/**
 * Brings the feed up to date with the boxes: evaluates every fed box (as the report does), and
 * writes only the differences, each stamped with the next sequence: new entries, changed ones
 * (content hash differs), and withdrawals (entries no longer publishable: box deleted,
 * deactivated, address withdrawn or changed, blocking issue, test account...). Runs in one
 * transaction holding the feed's state row, so refreshes never interleave and a reader sees
 * either all of a refresh or none of it. `maxAgeSeconds` > 0 skips the work when the last
 * refresh is that recent (checked after taking the lock, so waiters do not redo it).
 */
export async function refreshDirectory(
  db: Database,
  clock: Clock,
  options: { maxAgeSeconds: number },
): Promise<RefreshOutcome> {
  return db.transaction(async (tx) => {
    const state = await lockFeedState(tx);
    const now = clock.now();
    const outcome: RefreshOutcome = {
      refreshed: false,
      added: 0,
      changed: 0,
      withdrawn: 0,
      published: state.publishedCount,
      lastSequence: state.lastSequence,
    };
    if (
      options.maxAgeSeconds > 0 &&
      state.refreshedAt &&
      now.getTime() - state.refreshedAt.getTime() < options.maxAgeSeconds * 1000
    ) {
      return outcome;
    }
    const extraction = await findReferenceInForce(tx);
    const known = await loadKnownEntries(tx);
    const seen = new Set<string>();
    let sequence = state.lastSequence;
    let pending: PublishedEntry[] = [];
    /** Keys of the entries published before and changed now (the others are new publications). */
    const changedKeys = new Set<string>();
    for await (const batch of evaluateFedMailboxes(tx, {
      today: isoDate(now),
      locale: 'en',
      extractionId: extraction?.id ?? null,
      withDirectoryFields: true,
    })) {
      for (const box of batch) {
        const entry = publishableEntry(box);
        if (!entry) continue;
        const key = entryKey(entry.address, entry.ansType);
        if (seen.has(key)) continue;
        seen.add(key);
        const contentHash = hashOf(entry, box.structureId);
        const previous = known.get(key);
        if (previous && !previous.withdrawn && previous.hash === contentHash) continue;
        if (previous && !previous.withdrawn) {
          outcome.changed += 1;
          changedKeys.add(key);
        } else outcome.added += 1;
        sequence += 1;
        pending.push({
          address: entry.address,
          ansType: entry.ansType,
          mailboxId: entry.mailboxId,
          structureId: box.structureId,
          entry,
          contentHash,
          sequence,
        });
        if (pending.length >= WRITE_BATCH) {
          await publishBatch(tx, clock, now, pending, changedKeys);
          pending = [];
        }
      }
    }
    await publishBatch(tx, clock, now, pending, changedKeys);
    const withdrawals: Withdrawal[] = [];
    for (const [key, value] of known) {
      if (value.withdrawn || seen.has(key)) continue;
      const separator = key.indexOf(' ');
      withdrawals.push({
        ansType: key.slice(0, separator),
        address: key.slice(separator + 1),
        sequence: (sequence += 1),
      });
    }
    for (let start = 0; start < withdrawals.length; start += WRITE_BATCH) {
      const withdrawn = await withdrawEntries(tx, withdrawals.slice(start, start + WRITE_BATCH), now);
      await recordAudits(tx, clock, REFRESH_ACTOR, withdrawn.map(withdrawalAudit));
    }
    outcome.withdrawn = withdrawals.length;
    outcome.published = seen.size;
    outcome.lastSequence = sequence;
    outcome.refreshed = true;
    await saveFeedState(tx, { lastSequence: sequence, refreshedAt: now, publishedCount: seen.size });
    return outcome;
  });
}
