import type { MailboxStatus, MailboxType } from '../../domain/mailbox-vocabulary';
import type { LifecycleExportField, LoaduserFieldKey } from './loaduser-columns';

/**
 * One loaduser row, typed. A missing key means the cell was empty ("not given"): what that
 * means for the box (keep, default) is the import's decision, not the reader's. `null` means
 * the cell held the clear marker `#VIDE` (clear-marker.ts), only in the columns it may clear.
 */
export interface LoaduserRowFields {
  email?: string;
  lastName?: string;
  firstName?: string;
  rpps?: string | null;
  address?: string | null;
  organisationName?: string | null;
  service?: string | null;
  postalCode?: string | null;
  city?: string | null;
  phone?: string | null;
  civility?: string | null;
  adeli?: string | null;
  profession?: string | null;
  professionCategory?: string | null;
  specialty?: string | null;
  /** `YYYY-MM-DD`. */
  expiresAt?: string | null;
  isTest?: boolean;
  directoryVisible?: boolean | null;
  type?: MailboxType;
  description?: string | null;
  responsibleLastName?: string | null;
  responsibleFirstName?: string | null;
  responsibleProfession?: string | null;
  responsibleRpps?: string | null;
  responsibleAdeli?: string | null;
  paperless?: boolean | null;
  mailboxPhone?: string | null;
  /** Lower-case e-mails of nominative boxes (column AB). */
  delegates?: string[] | null;
  /** The MSSanté address before `@` (column AC). */
  correspondenceLocalPart?: string;
  /** The MSSanté domain (column AD); absent = the structure's first domain. */
  correspondenceDomain?: string;
  /** Lower-case e-mails (column A of other rows) that log into this ORG/APP box (column AH). */
  connectionAccounts?: string[] | null;
}

/** Columns written by exports and ignored on import. */
export type ExportOnlyFieldKey = 'status' | 'lastActivityAt' | 'id';

/**
 * One exported row: the row fields (null or absent = empty cell) plus the export-only columns,
 * and the lifecycle dates the deleted-boxes export writes past AH.
 */
export type LoaduserExportRow = { [Key in keyof LoaduserRowFields]?: LoaduserRowFields[Key] | null } & {
  status?: MailboxStatus | null;
  lastActivityAt?: Date | string | null;
  id?: string | null;
} & { [Key in LifecycleExportField]?: Date | null };

/** Every column maps to a field: the compiler checks that the two lists stay in step. */
type ImportFieldKey = Exclude<LoaduserFieldKey, ExportOnlyFieldKey>;
type MissingFromFields = Exclude<ImportFieldKey, keyof LoaduserRowFields>;
type MissingFromColumns = Exclude<keyof LoaduserRowFields, ImportFieldKey>;
export const FIELDS_MATCH_COLUMNS: [MissingFromFields, MissingFromColumns] extends [never, never] ? true : never = true;

export const CELL_ISSUE_CODES = [
  'REQUIRED',
  'YES_NO_INVALID',
  'DATE_INVALID',
  'TYPE_INVALID',
  'ADDRESS_LIST_INVALID',
  'OUTSIDE_TEMPLATE',
  'CLEAR_REFUSED',
] as const;
export type CellIssueCode = (typeof CELL_ISSUE_CODES)[number];

/** One cell that cannot be read; only its row fails. */
export interface CellIssue {
  /** As the spreadsheet shows it; the header is row 1. */
  rowNumber: number;
  /** Column letter: A..AH, or past AH for a cell outside the template. */
  column: string;
  header: string;
  code: CellIssueCode;
  message: string;
}

export interface ParsedLoaduserRow {
  rowNumber: number;
  fields: LoaduserRowFields;
  issues: CellIssue[];
}
