import type { LinkableMailbox } from '../../connection-accounts/connection-account-rules';
import type { FileState } from './planning-context';
import { issueAt, type RowIssue } from './row-issues';

export type LinkColumn = 'delegates' | 'connectionAccounts';

/** The row whose column AB or AH names a box. */
export interface LinkOwner {
  rowNumber: number;
  email: string;
}

/** A link rule, run on the named box once it is known (undefined: the file and the structure lack it). */
export type LinkCheck = (reference: LinkableMailbox | undefined) => RowIssue | null;

/**
 * Where the planner sends the boxes a row names in AB or AH that neither the rows above nor the
 * database hold yet: a row further down may create them (administrators write shared boxes
 * first, then the people who open them). Links thus resolve against the whole file, whatever
 * its order. `noteNamed` records the names that did resolve, so that a row named further down
 * that fails makes the naming row fail too, as it would had it been above.
 */
export interface LaterRows {
  defer(owner: LinkOwner, column: LinkColumn, email: string, check: LinkCheck): void;
  noteNamed(owner: LinkOwner, column: LinkColumn, email: string): void;
}

export const rowFailedIssue = (column: LinkColumn, email: string, rowNumber: number) =>
  issueAt(
    column,
    column === 'delegates' ? 'DELEGATE_ROW_FAILED' : 'ACCOUNT_ROW_FAILED',
    `${email} is on row ${rowNumber}, which has errors: fix that row first.`,
  );

interface Named {
  owner: LinkOwner;
  column: LinkColumn;
  email: string;
  check?: LinkCheck;
}

/** What a row that fails once the whole file is known had been planned to do (dry-run counts). */
export interface PlannedOutcome {
  outcome: 'created' | 'updated' | 'unchanged';
  invitation: 'queued' | 'skipped' | null;
}

/** A row that fails once the whole file is known, with its issues. */
export interface LateFailure {
  rowNumber: number;
  email: string;
  issues: RowIssue[];
  planned: PlannedOutcome | undefined;
}

/**
 * The validation pass's `LaterRows`: keeps the names to judge at the end of the file, then
 * judges them (`resolve`). Only link cells are kept, not rows: memory follows the links.
 */
export class FileLinks implements LaterRows {
  private readonly named: Named[] = [];
  private readonly owners = new Map<number, PlannedOutcome | undefined>();

  defer(owner: LinkOwner, column: LinkColumn, email: string, check: LinkCheck): void {
    this.named.push({ owner, column, email, check });
    this.owners.set(owner.rowNumber, undefined);
  }

  noteNamed(owner: LinkOwner, column: LinkColumn, email: string): void {
    this.named.push({ owner, column, email });
    this.owners.set(owner.rowNumber, undefined);
  }

  /** Remembers what a row that named boxes was planned to do, in case it fails at the end. */
  recordPlan(rowNumber: number, planned: PlannedOutcome): void {
    if (this.owners.has(rowNumber)) this.owners.set(rowNumber, planned);
  }

  /**
   * Judges the deferred names against the whole file: a name no row holds is unknown (the rule's
   * `*_UNKNOWN`), one whose row failed is `*_ROW_FAILED`, any other goes through its rule with
   * the row's type and status. Then failures spread along links until none is added: a row
   * naming a row that failed fails, wherever that row is. Marks the rows it fails in `file`.
   */
  resolve(file: FileState, structureId: string): LateFailure[] {
    const failures = new Map<number, LateFailure>();
    const isLive = (owner: LinkOwner) => {
      const entry = file.rows.get(owner.email);
      return entry !== undefined && entry.rowNumber === owner.rowNumber && !entry.failed;
    };
    const fail = (named: Named, issue: RowIssue) => {
      const known = failures.get(named.owner.rowNumber);
      if (known) {
        known.issues.push(issue);
        return;
      }
      const entry = file.rows.get(named.owner.email)!;
      file.rows.set(named.owner.email, { ...entry, failed: true });
      failures.set(named.owner.rowNumber, {
        rowNumber: named.owner.rowNumber,
        email: named.owner.email,
        issues: [issue],
        planned: this.owners.get(named.owner.rowNumber),
      });
    };
    // Every deferred name of a row is judged, so that its report lists each problem at once.
    for (const named of this.named) {
      if (!named.check || !(isLive(named.owner) || failures.has(named.owner.rowNumber))) continue;
      const target = file.rows.get(named.email);
      const issue =
        target?.failed === true
          ? rowFailedIssue(named.column, named.email, target.rowNumber)
          : named.check(
              target?.type
                ? { id: `row:${target.rowNumber}`, structureId, type: target.type, status: target.status }
                : undefined,
            );
      if (issue) fail(named, issue);
    }
    for (let spreading = true; spreading;) {
      spreading = false;
      for (const named of this.named) {
        if (!isLive(named.owner)) continue;
        const target = file.rows.get(named.email);
        if (!target?.failed) continue;
        fail(named, rowFailedIssue(named.column, named.email, target.rowNumber));
        spreading = true;
      }
    }
    return [...failures.values()].sort((a, b) => a.rowNumber - b.rowNumber);
  }
}

/**
 * The apply pass's `LaterRows`: validation judged the whole file already, so a name not created
 * yet is a row further down; its link is written once every row is (`later-links.ts`).
 */
export class DeferredLinks implements LaterRows {
  readonly emails = new Set<string>();

  defer(_owner: LinkOwner, _column: LinkColumn, email: string): void {
    this.emails.add(email);
  }

  noteNamed(): void {}
}
