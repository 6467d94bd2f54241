import type { LoaduserFieldKey } from './loaduser-columns';
import type { SheetCellValue } from './sheet-row';

/**
 * What an administrator types in a cell to clear the box's value by import, an empty cell
 * meaning "keep". `#VIDE` because it is French like the template, typed with any keyboard, kept
 * as text by every spreadsheet (unlike `-` or `0`, which are values, or `#N/A`, an error
 * literal), and no value of any column: not an identifier, code, date, phone, yes/no or e-mail,
 * and no plausible name, address or description. Should a free-text field hold it all the same,
 * the export writes it as `'#VIDE` (the text marker of formula-like cells), which the import
 * reads back as the text `#VIDE`: an export never carries the marker for a real value.
 * Matched trimmed and case-insensitively; on a row that creates a box it is an empty cell.
 */
export const CLEAR_MARKER = '#VIDE';

export function isClearMarker(value: SheetCellValue | undefined): boolean {
  return typeof value === 'string' && value.trim().toUpperCase() === CLEAR_MARKER;
}

const MARKER_LOOKALIKE = /^'*#VIDE$/i;

/** Export side: a stored value reading as the marker (or a `'`-prefixed one) gets one more `'`. */
export function protectClearMarker(text: string): string {
  return MARKER_LOOKALIKE.test(text) ? `'${text}` : text;
}

/** Import side, after trimming: takes off the `'` that `protectClearMarker` added. */
export function restoreClearMarkerLookalike(text: string): string {
  return text.startsWith("'") && MARKER_LOOKALIKE.test(text) ? text.slice(1) : text;
}

/**
 * What the marker does in each column: `clear` empties the box's value (lists: removes every
 * link); `refused` columns (required ones among them) fail the row, with the reason, on the cell;
 * `ignored` columns are written by exports and never read.
 */
export type ClearRule = { kind: 'clear' } | { kind: 'refused'; reason: string } | { kind: 'ignored' };

const CLEAR: ClearRule = { kind: 'clear' };
const required = (what: string): ClearRule => ({
  kind: 'refused',
  reason: `${what} is required: it cannot be cleared.`,
});

export const CLEAR_RULES: Readonly<Record<LoaduserFieldKey, ClearRule>> = {
  email: required('The e-mail address'),
  lastName: required('The last name'),
  firstName: required('The first name'),
  rpps: CLEAR,
  address: CLEAR,
  organisationName: CLEAR,
  service: CLEAR,
  postalCode: CLEAR,
  city: CLEAR,
  phone: CLEAR,
  civility: CLEAR,
  adeli: CLEAR,
  profession: CLEAR,
  professionCategory: CLEAR,
  specialty: CLEAR,
  expiresAt: CLEAR,
  isTest: { kind: 'refused', reason: 'A box is a test account or not: write N rather than clear the cell.' },
  directoryVisible: CLEAR,
  type: required('The box type'),
  description: CLEAR,
  responsibleLastName: CLEAR,
  responsibleFirstName: CLEAR,
  responsibleProfession: CLEAR,
  responsibleRpps: CLEAR,
  responsibleAdeli: CLEAR,
  paperless: CLEAR,
  mailboxPhone: CLEAR,
  delegates: CLEAR,
  correspondenceLocalPart: {
    kind: 'refused',
    reason: 'An import never withdraws an MSSanté address: use DELETE /v1/mailboxes/{id}/correspondence.',
  },
  correspondenceDomain: {
    kind: 'refused',
    reason: 'An import never withdraws an MSSanté address: use DELETE /v1/mailboxes/{id}/correspondence.',
  },
  status: { kind: 'ignored' },
  lastActivityAt: { kind: 'ignored' },
  id: { kind: 'ignored' },
  connectionAccounts: CLEAR,
};
