import type { ResolvedCorrespondence } from '../../correspondences/correspondence-rules';
import { checkMailboxFields } from '../../mailboxes/mailbox-rules';
import type { MailboxFields } from '../../../domain/mailbox-vocabulary';
import { checkExpiryRequirement, lacksExpiryDate } from '../../../domain/temporary-box-policy';
import { hasRequiredFields, toMailboxFields, withoutClearMarkers, type ParsedLoaduserRow } from '../../loaduser-sheet';
import { changesColumns, mergeRowIntoBox } from './merge-fields';
import { planCorrespondence } from './plan-correspondence';
import { checkConnectionAccounts, checkDelegates, diffLinks, type LinkChange } from './plan-links';
import type { ExistingBox, PlanningContext } from './planning-context';
import { fromCellIssue, fromFieldIssue, issueAt, type RowIssue } from './row-issues';

interface RowPlanBase {
  rowNumber: number;
  email: string | null;
}
/** A row accepted as it is, with what should still be looked at (shown, never blocking). */
interface AcceptedRowPlan extends RowPlanBase {
  warnings: RowIssue[];
}
export interface FailedRowPlan extends RowPlanBase {
  outcome: 'failed';
  issues: RowIssue[];
}
export interface UnchangedRowPlan extends AcceptedRowPlan {
  outcome: 'unchanged';
  mailboxId: string;
  /** The version of the box the row was judged against. */
  mailboxVersion: number;
}
export interface CreatedRowPlan extends AcceptedRowPlan {
  outcome: 'created';
  fields: MailboxFields;
  address: ResolvedCorrespondence | null;
  delegates: string[];
  connectionAccounts: string[];
}
export interface UpdatedRowPlan extends AcceptedRowPlan {
  outcome: 'updated';
  existing: ExistingBox;
  /** The merged fields when a column changes; null when only the address or links do. */
  fields: MailboxFields | null;
  address: ResolvedCorrespondence | null;
  delegates: LinkChange | null;
  connectionAccounts: LinkChange | null;
}
export type RowPlan = FailedRowPlan | UnchangedRowPlan | CreatedRowPlan | UpdatedRowPlan;
export type AcceptedPlan = Exclude<RowPlan, FailedRowPlan>;

/** The parser asks for U and V whenever U–Y has a cell; on an update the stored responsible may hold them. */
const RESPONSIBLE_NAME_COLUMNS = ['U', 'V'];

/** Spreadsheet order: A … Z, then AA … AH. */
const byColumn = (a: RowIssue, b: RowIssue) =>
  a.column.length - b.column.length || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0);

function fail(row: ParsedLoaduserRow, issues: RowIssue[], context: PlanningContext): FailedRowPlan {
  const email = row.fields.email ?? null;
  if (email !== null && !context.file.rows.has(email)) {
    context.file.rows.set(email, {
      rowNumber: row.rowNumber,
      type: row.fields.type,
      status: 'preregistered',
      failed: true,
    });
  }
  return { outcome: 'failed', rowNumber: row.rowNumber, email, issues: [...issues].sort(byColumn) };
}

/**
 * Decides what one loaduser row does: fail (with every issue, each on its column), leave its
 * box unchanged, create it (pre-registered) or update it. Pure: the context holds what the
 * database and the rows above told us, and is updated with this row (its e-mail, its address,
 * its quota place). The mailbox rules are those of the API (`checkMailboxFields`).
 */
export function planRow(row: ParsedLoaduserRow, context: PlanningContext): RowPlan {
  const isUpdate = row.fields.email !== undefined && context.boxes.has(row.fields.email);
  const fields = isUpdate ? row.fields : withoutClearMarkers(row.fields);
  const issues = row.issues
    .filter((issue) => !(issue.code === 'REQUIRED' && RESPONSIBLE_NAME_COLUMNS.includes(issue.column)))
    .map(fromCellIssue);
  const firstRow = fields.email === undefined ? undefined : context.file.rows.get(fields.email);
  if (firstRow)
    issues.push(
      issueAt('email', 'DUPLICATE_EMAIL', `This e-mail address is also on row ${firstRow.rowNumber}: one row per box.`),
    );
  if (!hasRequiredFields(fields) || firstRow) return fail(row, issues, context);

  const existing = context.boxes.get(fields.email);
  if (existing && existing.record.mailbox.structureId !== context.structureId) {
    issues.push(
      issueAt('email', 'EMAIL_TAKEN', 'This e-mail address is the reference address of a box of another structure.'),
    );
    return fail(row, issues, context);
  }
  const stored = existing?.record.mailbox;
  if (stored && stored.type !== fields.type) {
    const message = `The box is of type ${stored.type}: an import does not change types (use POST /v1/mailboxes/{id}/type-change).`;
    issues.push(issueAt('type', 'TYPE_CHANGE_UNSUPPORTED', message));
    return fail(row, issues, context);
  }

  const given = toMailboxFields(fields);
  if (!stored && given.directoryVisible === undefined && context.directoryVisible !== null)
    given.directoryVisible = context.directoryVisible;
  const merged = stored ? mergeRowIntoBox(stored, given) : given;
  issues.push(...checkMailboxFields(merged).map((issue) => fromFieldIssue(issue)));
  issues.push(...checkExpiryRequirement(merged, context).map((issue) => fromFieldIssue(issue)));
  const currentAddress = existing?.record.address ?? null;
  const correspondence = planCorrespondence(
    fields,
    { type: fields.type, status: stored?.status ?? 'preregistered' },
    stored?.id ?? null,
    currentAddress,
    context,
  );
  issues.push(...correspondence.issues);
  issues.push(
    ...checkDelegates(
      { email: fields.email, rowNumber: row.rowNumber, type: fields.type },
      fields.delegates ?? undefined,
      existing?.delegates ?? [],
      context,
    ),
  );
  issues.push(
    ...checkConnectionAccounts(
      { email: fields.email, rowNumber: row.rowNumber, type: fields.type },
      fields.connectionAccounts ?? undefined,
      existing?.connectionAccounts ?? [],
      context,
    ),
  );
  if (issues.length === 0 && correspondence.change && !currentAddress && !context.quota.tryTake(fields.type)) {
    issues.push(
      issueAt(
        'correspondenceLocalPart',
        'QUOTA_EXCEEDED',
        `This address would exceed the structure's ${context.quota.describe(fields.type)}.`,
      ),
    );
  }
  if (issues.length > 0) return fail(row, issues, context);

  context.file.rows.set(fields.email, {
    rowNumber: row.rowNumber,
    type: fields.type,
    status: stored?.status ?? 'preregistered',
    failed: false,
  });
  if (correspondence.change) context.file.addresses.set(correspondence.change.address, row.rowNumber);
  const warnings = lacksExpiryDate(merged)
    ? [issueAt('expiresAt', 'INT_WITHOUT_EXPIRY', 'INT boxes are temporary: give this one an expiry date.')]
    : [];
  const base = { rowNumber: row.rowNumber, email: fields.email, warnings };
  if (!existing) {
    return {
      ...base,
      outcome: 'created',
      fields: merged,
      address: correspondence.change,
      delegates: fields.delegates ?? [],
      connectionAccounts: fields.connectionAccounts ?? [],
    };
  }
  const columnsChange = changesColumns(existing.record.mailbox, merged) ? merged : null;
  // `#VIDE` (null) in AB or AH removes every link of the column.
  const delegates = diffLinks(existing.delegates, fields.delegates === null ? [] : fields.delegates);
  const connectionAccounts = diffLinks(
    existing.connectionAccounts,
    fields.connectionAccounts === null ? [] : fields.connectionAccounts,
  );
  if (!columnsChange && !correspondence.change && !delegates && !connectionAccounts) {
    const { id, version } = existing.record.mailbox;
    return { ...base, outcome: 'unchanged', mailboxId: id, mailboxVersion: version };
  }
  return {
    ...base,
    outcome: 'updated',
    existing,
    fields: columnsChange,
    address: correspondence.change,
    delegates,
    connectionAccounts,
  };
}
