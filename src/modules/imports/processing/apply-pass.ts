import { StatementPipeline } from '../../../db/bulk-json';
import { auditEventsInsert } from '../../../platform/audit/audit';
import { countAddressesByFamily } from '../../correspondences/quota';
import { queueNotifications } from '../../notifications/notification-outbox';
import { findStructure } from '../../structures';
import {
  appliedBatchUpdate,
  findImport,
  importRowsInsert,
  readStagedRows,
  relaxCommitDurability,
} from '../imports.repository';
import { loadBatchSnapshot } from '../planning/batch-snapshot.repository';
import { planRow } from '../planning/plan-row';
import { FileState, hasAnyQuota, QuotaTracker, type PlanningContext } from '../planning/planning-context';
import { DeferredLinks } from '../planning/later-rows';
import { writeBatch } from './batch-writes.repository';
import { composeBatch } from './compose-batch';
import { importActor, quotasOf, type ImportRun } from './import-run';
import { applyLaterLinks } from './later-links';

const NO_ADDRESSES_USED = { personal: 0, organisational: 0, applicative: 0 };

/**
 * The second pass: applies the staged rows in batches, one transaction each. A batch reads its
 * rows after the checkpoint, re-plans them against the database as it is now (locked), writes
 * the boxes, their addresses and links, the invitations, the audit events (cause: the import),
 * the row outcomes and the checkpoint, and commits all of it at once. A crash loses at most the
 * batch in flight, which rolls back whole; the next run resumes after the last checkpoint. Links
 * to boxes a row further down creates are written last, once every row is (`later-links.ts`).
 */
export async function runApplyPass(run: ImportRun): Promise<void> {
  for (let batch = 1; ; batch += 1) {
    const isFinished = await applyNextBatch(run, batch);
    if (isFinished) break;
    await run.options.hooks?.afterApplyBatch?.(batch);
    await run.extendLease();
  }
  // Links to rows further down (column AB or AH naming a box a later row created).
  await applyLaterLinks(run);
}

async function applyNextBatch(run: ImportRun, batch: number): Promise<boolean> {
  const { deps, record } = run;
  return deps.db.transaction(async (tx) => {
    // The import's row lock makes any second runner of this import wait, then see the new checkpoint.
    await relaxCommitDurability(tx);
    const current = await findImport(tx, record.id, { lock: true });
    const structure = await findStructure(tx, record.structureId, { lock: true });
    if (!current || !structure) return true;
    const staged = await readStagedRows(tx, record.id, current.appliedThroughRow, run.options.batchSize);
    const last = staged[staged.length - 1];
    if (!last) return true;

    const snapshot = await loadBatchSnapshot(
      tx,
      staged.map((row) => row.fields),
      structure.domains,
      { lock: true },
    );
    const quotas = quotasOf(structure);
    const deferred = new DeferredLinks();
    const used = hasAnyQuota(quotas) ? await countAddressesByFamily(tx, structure.id) : { ...NO_ADDRESSES_USED };
    const context: PlanningContext = {
      structureId: structure.id,
      domains: structure.domains,
      directoryVisible: record.directoryVisible,
      intExpiryRequired: structure.intExpiryRequired,
      boxes: snapshot.boxes,
      addressHolders: snapshot.addressHolders,
      file: new FileState(),
      quota: new QuotaTracker(quotas, used),
      laterRows: deferred,
    };
    const plans = staged.map((row) => planRow({ rowNumber: row.rowNumber, fields: row.fields, issues: [] }, context));
    const now = deps.clock.now();
    const composed = composeBatch(plans, {
      importId: record.id,
      structureId: structure.id,
      now,
      notify: record.notify,
      boxes: snapshot.boxes,
      deferred: deferred.emails,
    });
    const pipeline = new StatementPipeline(tx);
    writeBatch(tx, composed.writes, now, pipeline);
    if (composed.invitations.length > 0) pipeline.add({ execute: () => queueNotifications(tx, composed.invitations) });
    pipeline.add(auditEventsInsert(deps.clock, importActor(record), composed.audits));
    pipeline.add(importRowsInsert(composed.importRows));
    pipeline.add(appliedBatchUpdate(tx, record.id, last.rowNumber, composed.counts));
    await pipeline.settle();
    // Past every validation marker (at most the total), growing with the checkpoint.
    await run.reportProgress((current.totalRows ?? 0) + last.rowNumber, tx);
    await run.options.hooks?.beforeApplyCommit?.(batch);
    return false;
  });
}
