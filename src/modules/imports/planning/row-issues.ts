import type { FieldIssue } from '../../../domain/mailbox-vocabulary';
import { findLoaduserColumn, type CellIssue, type LoaduserFieldKey } from '../../loaduser-sheet';

/** One thing wrong with one row, placed on its column: stored per row and shown by the API and the report. */
export interface RowIssue {
  column: string;
  header: string;
  code: string;
  message: string;
}

/** Where the mailbox rules' fields sit in the loaduser layout. */
const COLUMN_OF_FIELD: Record<string, LoaduserFieldKey> = {
  email: 'email',
  lastName: 'lastName',
  firstName: 'firstName',
  rpps: 'rpps',
  adeli: 'adeli',
  profession: 'profession',
  professionCategory: 'professionCategory',
  civility: 'civility',
  expiresAt: 'expiresAt',
  description: 'description',
  type: 'type',
  responsible: 'responsibleLastName',
  'responsible.lastName': 'responsibleLastName',
  'responsible.firstName': 'responsibleFirstName',
  'responsible.profession': 'responsibleProfession',
  'responsible.rpps': 'responsibleRpps',
  'responsible.adeli': 'responsibleAdeli',
  localPart: 'correspondenceLocalPart',
  domain: 'correspondenceDomain',
};

export function issueAt(field: LoaduserFieldKey, code: string, message: string): RowIssue {
  const { letter, header } = findLoaduserColumn(field);
  return { column: letter, header, code, message };
}

/** A rule's issue on the column of its field (or `fallback` for a field the layout does not name). */
export function fromFieldIssue(issue: FieldIssue, fallback: LoaduserFieldKey = 'email'): RowIssue {
  return issueAt(COLUMN_OF_FIELD[issue.field] ?? fallback, issue.code, issue.message);
}

export function fromCellIssue(issue: CellIssue): RowIssue {
  return { column: issue.column, header: issue.header, code: issue.code, message: issue.message };
}
