import { isDeepStrictEqual } from 'node:util';
import { StatementPipeline, type PlannedStatement } from '../../../db/bulk-json';
import type { Executor } from '../../../db/database';
import { auditEventsInsert } from '../../../platform/audit/audit';
import { countAddressesByFamily } from '../../correspondences/quota';
import { queueNotifications } from '../../notifications/notification-outbox';
import { findStructure, type StructureRecord } from '../../structures';
import type { QuotaFamily, Quotas } from '../../structures/structures.schemas';
import {
  appliedBatchUpdate,
  findImport,
  importRowsInsert,
  readStagedRows,
  relaxCommitDurability,
  type ImportCounts,
} from '../imports.repository';
import { loadBatchSnapshot, type BatchSnapshot } from '../planning/batch-snapshot.repository';
import { planRow } from '../planning/plan-row';
import { FileState, hasAnyQuota, QuotaTracker, type PlanningContext } from '../planning/planning-context';
import { DeferredLinks } from '../planning/later-rows';
import { batchWriteStatements } from './batch-writes.repository';
import { composeBatch } from './compose-batch';
import { confirmUnchangedRows } from './confirm-unchanged.repository';
import { importActor, quotasOf, type ImportRun } from './import-run';
import { applyLaterLinks } from './later-links';

type StagedRow = Awaited<ReturnType<typeof readStagedRows>>[number];
type AddressesInUse = Record<QuotaFamily, number>;

const NO_ADDRESSES_USED: AddressesInUse = { personal: 0, organisational: 0, applicative: 0 };

/** Everything a batch's rows are planned against: two equal bases give the same plans. */
interface PlanningBasis {
  snapshot: BatchSnapshot;
  /** Addresses in use per quota family before the batch (all zero when the structure has no quota). */
  used: AddressesInUse;
  settings: Pick<StructureRecord, 'id' | 'domains' | 'intExpiryRequired'> & { quotas: Quotas };
}

/** A batch planned and turned into its statements, ready to be written. */
interface BatchDraft {
  /** The checkpoint it follows: its rows are the staged ones after it. */
  afterRow: number;
  rows: StagedRow[];
  /** The rows planned: all but those recorded unchanged on validation's word (`confirmUnchangedRows`). */
  planned: StagedRow[];
  lastRow: number;
  basis: PlanningBasis;
  /** Addresses in use once its rows took theirs: what the next batch's basis will count. */
  usedAfter: AddressesInUse;
  statements: PlannedStatement[];
  counts: ImportCounts;
}

/**
 * The second pass: applies the staged rows in batches, one transaction each. A batch reads its
 * rows after the checkpoint, plans them against the database as it is now (locked), writes the
 * boxes, their addresses and links, the invitations, the audit events (cause: the import), the
 * row outcomes and the checkpoint, and commits all of it at once. A crash loses at most the
 * batch in flight, which rolls back whole; the next run resumes after the last checkpoint. Links
 * to boxes a row further down creates are written last, once every row is (`later-links.ts`).
 *
 * While PostgreSQL writes a batch, the next one is drafted ahead on another connection (read,
 * planned, composed, its statements built), so that the two processes work at once rather than
 * in turn. The draft is used only if its transaction, once it holds the locks, reads the same
 * basis the draft was planned on; otherwise the batch is planned again there. Planning is a pure
 * function of the rows and the basis, so either way the plans are the ones the locked database
 * gives: the draft saves time, never decides. A drafted batch's instant (its boxes' creation and
 * update times, its events' `occurredAt`) is the moment it was drafted, a fraction of a second
 * before its transaction.
 *
 * Rows that validation found to ask nothing of their box are not planned again: the transaction
 * first records them unchanged in one statement while their box and the structure keep the
 * versions they were judged against (a re-imported export is mostly such rows). Those whose box
 * changed since are planned with the others.
 */
export async function runApplyPass(run: ImportRun): Promise<void> {
  let ahead: Promise<BatchDraft | null> = Promise.resolve(null);
  const draftNext = (next: Promise<BatchDraft | null>) => {
    ahead = next;
  };
  try {
    for (let batch = 1; ; batch += 1) {
      // Awaited before the next transaction opens: on the embedded database, whose one
      // connection serves a transaction alone, the draft's reads wait for the commit before.
      const draft = await ahead;
      const isFinished = await applyNextBatch(run, batch, draft, draftNext);
      if (isFinished) break;
      await run.options.hooks?.afterApplyBatch?.(batch);
      await run.extendLease();
    }
  } finally {
    // Never rejects; a run that stops leaves no draft reading behind it.
    await ahead;
  }
  // Links to rows further down (column AB or AH naming a box a later row created).
  await applyLaterLinks(run);
}

async function applyNextBatch(
  run: ImportRun,
  batch: number,
  draft: BatchDraft | null,
  draftNext: (next: Promise<BatchDraft | null>) => void,
): Promise<boolean> {
  const { deps, record } = run;
  return deps.db.transaction(async (tx) => {
    // The import's row lock makes any second runner of this import wait, then see the new checkpoint.
    await relaxCommitDurability(tx);
    const current = await findImport(tx, record.id, { lock: true });
    const structure = await findStructure(tx, record.structureId, { lock: true });
    if (!current || !structure) return true;
    const afterRow = current.appliedThroughRow;
    const isDraftOfThisBatch = draft !== null && draft.afterRow === afterRow;
    const rows = isDraftOfThisBatch ? draft.rows : await readStagedRows(tx, record.id, afterRow, run.options.batchSize);
    if (rows.length === 0) return true;

    const lastRow = rows[rows.length - 1]!.rowNumber;
    const confirmed = rows.some((row) => row.isUnchangedAtValidation)
      ? await confirmUnchangedRows(tx, {
          importId: record.id,
          afterRow,
          throughRow: lastRow,
          structureVersion: structure.version,
        })
      : new Set<number>();
    const planned = rows.filter((row) => !confirmed.has(row.rowNumber));
    const used = hasAnyQuota(quotasOf(structure)) ? await countAddressesByFamily(tx, structure.id) : NO_ADDRESSES_USED;
    const basis = await readBasis(tx, structure, planned, used, { lock: true });
    const ready =
      isDraftOfThisBatch && isDeepStrictEqual(draft.planned, planned) && isDeepStrictEqual(draft.basis, basis)
        ? draft
        : draftBatch(run, afterRow, rows, planned, basis);
    const counts = { ...ready.counts, unchanged: ready.counts.unchanged + confirmed.size };

    const pipeline = new StatementPipeline(tx);
    for (const statement of ready.statements) pipeline.add(statement);
    pipeline.add((executor) => appliedBatchUpdate(executor, record.id, ready.lastRow, counts));
    draftNext(draftAhead(run, structure, ready));
    await pipeline.settle();
    // Past every validation marker (at most the total), growing with the checkpoint.
    await run.reportProgress((current.totalRows ?? 0) + ready.lastRow, tx);
    await run.options.hooks?.beforeApplyCommit?.(batch);
    return false;
  });
}

async function readBasis(
  executor: Executor,
  structure: StructureRecord,
  rows: readonly StagedRow[],
  used: AddressesInUse,
  options: { lock: boolean },
): Promise<PlanningBasis> {
  const fields = rows.map((row) => row.fields);
  const snapshot = await loadBatchSnapshot(executor, fields, structure.domains, options);
  const { id, domains, intExpiryRequired } = structure;
  return { snapshot, used, settings: { id, domains, intExpiryRequired, quotas: quotasOf(structure) } };
}

/** Plans the `planned` rows of the batch against the basis, composes them and builds their statements. Reads nothing. */
function draftBatch(
  run: ImportRun,
  afterRow: number,
  rows: StagedRow[],
  planned: StagedRow[],
  basis: PlanningBasis,
): BatchDraft {
  const { deps, record } = run;
  const { settings, snapshot } = basis;
  const deferred = new DeferredLinks();
  const quota = new QuotaTracker(settings.quotas, { ...basis.used });
  const context: PlanningContext = {
    structureId: settings.id,
    domains: settings.domains,
    directoryVisible: record.directoryVisible,
    intExpiryRequired: settings.intExpiryRequired,
    boxes: snapshot.boxes,
    addressHolders: snapshot.addressHolders,
    file: new FileState(),
    quota,
    laterRows: deferred,
  };
  const plans = planned.map((row) => planRow({ rowNumber: row.rowNumber, fields: row.fields, issues: [] }, context));
  const now = deps.clock.now();
  const composed = composeBatch(plans, {
    importId: record.id,
    structureId: settings.id,
    now,
    notify: record.notify,
    boxes: snapshot.boxes,
    deferred: deferred.emails,
  });
  const statements = batchWriteStatements(composed.writes, now);
  const { invitations } = composed;
  if (invitations.length > 0) statements.push((executor) => queueNotifications(executor, invitations));
  const audits = auditEventsInsert(deps.clock, importActor(record), composed.audits);
  if (audits) statements.push(audits);
  const outcomes = importRowsInsert(composed.importRows);
  if (outcomes) statements.push(outcomes);
  return {
    afterRow,
    rows,
    planned,
    lastRow: rows[rows.length - 1]!.rowNumber,
    basis,
    usedAfter: hasAnyQuota(settings.quotas) ? quota.inUse() : NO_ADDRESSES_USED,
    statements,
    counts: composed.counts,
  };
}

/**
 * The batch after `written`, drafted on another connection while `written` is being written: its
 * rows (staged, so unchanging), those to plan (all but the rows validation found unchanged,
 * expected to be confirmed), a basis read without locks, and the addresses in use `written`
 * leaves. Null when no row is left, or when drafting failed: the batch is then drafted in its own
 * transaction, where a failure is the import's to report.
 */
async function draftAhead(run: ImportRun, structure: StructureRecord, written: BatchDraft): Promise<BatchDraft | null> {
  try {
    const rows = await readStagedRows(run.deps.db, run.record.id, written.lastRow, run.options.batchSize);
    if (rows.length === 0) return null;
    const planned = rows.filter((row) => !row.isUnchangedAtValidation);
    const basis = await readBasis(run.deps.db, structure, planned, written.usedAfter, { lock: false });
    return draftBatch(run, written.lastRow, rows, planned, basis);
  } catch {
    return null;
  }
}
