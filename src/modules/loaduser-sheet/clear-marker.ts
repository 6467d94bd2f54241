import type { LoaduserFieldKey } from './loaduser-columns';
import type { LoaduserRowFields } from './loaduser-row-fields';
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

/** The row fields `#VIDE` may clear: those whose type admits `null`, the compiler says which. */
export type ClearableFieldKey = {
  [Key in keyof LoaduserRowFields]-?: null extends LoaduserRowFields[Key] ? Key : never;
}[keyof LoaduserRowFields];

/** Every clearable field, once: a `Record`, so a field made nullable without being listed does not compile. */
const CLEARABLE: Record<ClearableFieldKey, true> = {
  rpps: true,
  address: true,
  organisationName: true,
  service: true,
  postalCode: true,
  city: true,
  phone: true,
  civility: true,
  adeli: true,
  profession: true,
  professionCategory: true,
  specialty: true,
  expiresAt: true,
  directoryVisible: true,
  description: true,
  responsibleLastName: true,
  responsibleFirstName: true,
  responsibleProfession: true,
  responsibleRpps: true,
  responsibleAdeli: true,
  paperless: true,
  mailboxPhone: true,
  delegates: true,
  connectionAccounts: true,
};

const NO_ADDRESS_WITHDRAWAL =
  'An import never withdraws an MSSanté address: use DELETE /v1/mailboxes/{id}/correspondence.';
const required = (what: string) => `${what} is required: it cannot be cleared.`;

/** Why `#VIDE` is refused in the other columns read on import (the export-only AE..AG are not read). */
const REFUSALS: Readonly<Partial<Record<LoaduserFieldKey, string>>> = {
  email: required('The e-mail address'),
  lastName: required('The last name'),
  firstName: required('The first name'),
  type: required('The box type'),
  isTest: 'A box is a test account or not: write N rather than clear the cell.',
  correspondenceLocalPart: NO_ADDRESS_WITHDRAWAL,
  correspondenceDomain: NO_ADDRESS_WITHDRAWAL,
};

/**
 * What `#VIDE` does in a column: `clear` empties the box's value (AB, AH: removes every link);
 * `refused` fails the row on the cell, with the reason; `ignored` for the columns exports write.
 */
export type ClearRule =
  { kind: 'clear'; field: ClearableFieldKey } | { kind: 'refused'; reason: string } | { kind: 'ignored' };

function isClearable(field: LoaduserFieldKey): field is ClearableFieldKey {
  return Object.hasOwn(CLEARABLE, field);
}

export function clearRuleOf(field: LoaduserFieldKey): ClearRule {
  if (isClearable(field)) return { kind: 'clear', field };
  const reason = REFUSALS[field];
  return reason === undefined ? { kind: 'ignored' } : { kind: 'refused', reason };
}
