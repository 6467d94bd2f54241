import { Readable } from 'node:stream';
import { countAddressesByFamily } from '../../correspondences/quota';
import { countInvitation, invitationOf } from './invitations';
import {
  insertImportRows,
  readImportFile,
  recordValidationProgress,
  relaxCommitDurability,
  resetValidation,
  stageRows,
  type ImportCounts,
  type RowToStage,
} from '../imports.repository';
import { loadBatchSnapshot } from '../planning/batch-snapshot.repository';
import { planRow, type AcceptedPlan, type RowPlan } from '../planning/plan-row';
import { FileState, QuotaTracker, type PlanningContext } from '../planning/planning-context';
import { FileLinks } from '../planning/later-rows';
import {
  isSheetError,
  parseLoaduserSheet,
  type LoaduserRowFields,
  type ParsedLoaduserRow,
  type SheetError,
} from '../../loaduser-sheet';
import { toImportRow } from './compose-batch';
import { quotasOf, type ImportRun } from './import-run';
import { recordLateFailures } from './late-failures';

export type ValidationResult =
  { kind: 'file-error'; error: SheetError } | { kind: 'read'; totalRows: number; failed: number };

interface ValidationState {
  file: FileState;
  /** Names in AB and AH to judge once the whole file is read. */
  links: FileLinks;
  quota: QuotaTracker;
  chunk: number;
  totalRows: number;
  failed: number;
  /** The previous chunk's write, still running while the next chunk is read and judged. */
  writing: Promise<void>;
}

const mailboxIdOf = (plan: RowPlan) =>
  plan.outcome === 'unchanged' ? plan.mailboxId : plan.outcome === 'updated' ? plan.existing.record.mailbox.id : null;

/**
 * A valid row as the apply pass will read it. One that asks nothing of its box and names no
 * links (AB, AH: links are not part of the box's version) carries the versions it was judged
 * against, so that the apply pass can record it unchanged without planning it again.
 */
function stagedRowOf(plan: AcceptedPlan, fields: LoaduserRowFields, structureVersion: number): RowToStage {
  const asksNothing =
    plan.outcome === 'unchanged' && fields.delegates === undefined && fields.connectionAccounts === undefined;
  if (!asksNothing) return { rowNumber: plan.rowNumber, fields };
  const { mailboxId, mailboxVersion, warnings } = plan;
  return {
    rowNumber: plan.rowNumber,
    fields,
    unchanged: { mailboxId, boxVersion: mailboxVersion, structureVersion, warnings },
  };
}

/** Outcomes, and the invitations `notify` would queue or skip (a dry run tells what the import would do). */
function countOutcomes(plans: readonly RowPlan[], notify: boolean): ImportCounts {
  const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const plan of plans) {
    counts[plan.outcome] += 1;
    countInvitation(counts, invitationOf(plan, notify));
  }
  return counts;
}

/**
 * The first pass: reads the stored file once, as a stream, and judges every row against the
 * database and the rows above it. Failed rows are recorded (they are final); valid rows are
 * staged for the apply pass, or, on a dry run, recorded with the outcome they would have.
 * Writes nothing but the import's own tables, so an interrupted pass simply starts over.
 */
export async function runValidationPass(run: ImportRun): Promise<ValidationResult> {
  const { deps, record } = run;
  await resetValidation(deps.db, record.id);
  const state: ValidationState = {
    file: new FileState(),
    links: new FileLinks(),
    quota: new QuotaTracker(quotasOf(run.structure), await countAddressesByFamily(deps.db, record.structureId)),
    chunk: 0,
    totalRows: 0,
    failed: 0,
    writing: Promise.resolve(),
  };
  const input = { stream: Readable.from(readImportFile(deps.db, record.id)), format: record.format };
  let rows: ParsedLoaduserRow[] = [];
  try {
    for await (const row of parseLoaduserSheet(input, run.options.sheetLimits)) {
      rows.push(row);
      if (rows.length >= run.options.batchSize) {
        await validateChunk(run, rows, state);
        rows = [];
      }
    }
    await validateChunk(run, rows, state);
    await state.writing;
  } catch (error) {
    await state.writing.catch(() => undefined);
    if (isSheetError(error)) return { kind: 'file-error', error };
    throw error;
  }
  // The whole file is known: links to rows further down are judged, and rows fail that name a
  // row that failed, wherever it is (so any order of the same rows has the same outcome).
  const late = state.links.resolve(state.file, record.structureId);
  await recordLateFailures(run, late);
  return { kind: 'read', totalRows: state.totalRows, failed: state.failed + late.length };
}

async function validateChunk(
  run: ImportRun,
  rows: readonly ParsedLoaduserRow[],
  state: ValidationState,
): Promise<void> {
  if (rows.length === 0) return;
  const { deps, record } = run;
  const snapshot = await loadBatchSnapshot(
    deps.db,
    rows.map((row) => row.fields),
    run.structure.domains,
    { lock: false },
  );
  const context: PlanningContext = {
    structureId: record.structureId,
    domains: run.structure.domains,
    directoryVisible: record.directoryVisible,
    intExpiryRequired: run.structure.intExpiryRequired,
    boxes: snapshot.boxes,
    addressHolders: snapshot.addressHolders,
    file: state.file,
    quota: state.quota,
    laterRows: state.links,
  };
  const plans = rows.map((row) => planRow(row, context));
  for (const plan of plans) {
    if (plan.outcome !== 'failed')
      state.links.recordPlan(plan.rowNumber, { outcome: plan.outcome, invitation: invitationOf(plan, record.notify) });
  }
  const recorded = record.dryRun ? plans : plans.filter((plan) => plan.outcome === 'failed');
  const counts = countOutcomes(recorded, record.notify);
  state.failed += counts.failed;
  state.totalRows += rows.length;
  // Under abort, once a row failed nothing will be applied: staging more would be wasted work.
  const isStaging = !record.dryRun && !(record.onError === 'abort' && state.failed > 0);
  const fieldsByRow = new Map(rows.map((row) => [row.rowNumber, row.fields]));
  const importRows = recorded.map((plan) => toImportRow(record.id, plan, mailboxIdOf(plan)));
  const staged = isStaging
    ? plans
        .filter((plan): plan is AcceptedPlan => plan.outcome !== 'failed')
        .map((plan) => stagedRowOf(plan, fieldsByRow.get(plan.rowNumber)!, run.structure.version))
    : [];
  // One chunk is written while the next is parsed and judged: the two never touch the same rows,
  // and chunks still commit in file order.
  await state.writing;
  const chunk = (state.chunk += 1);
  const rowsValidated = state.totalRows;
  state.writing = (async () => {
    await deps.db.transaction(async (tx) => {
      await relaxCommitDurability(tx);
      await insertImportRows(tx, importRows);
      await stageRows(tx, record.id, staged);
      await recordValidationProgress(tx, record.id, rows.length, counts);
      await run.reportProgress(rowsValidated, tx);
    });
    await run.options.hooks?.afterValidationChunk?.(chunk);
    await run.extendLease();
  })();
  // Handled now, thrown where it is awaited: a failing write must not count as an unhandled rejection meanwhile.
  state.writing.catch(() => undefined);
}
