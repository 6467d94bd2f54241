import { MAILBOX_TYPES, type MailboxType } from '../../domain/mailbox-vocabulary';
import { readCellText } from './cell-text';
import {
  parseAddressList,
  parseCode,
  parseDate,
  parseEmail,
  parseEmailList,
  parseIdentifier,
  parsePhone,
  parsePostalCode,
  parseYesNo,
  type CellParse,
} from './cell-values';
import { CLEAR_MARKER, clearRuleOf, isClearMarker } from './clear-marker';
import {
  findLoaduserColumn,
  LOADUSER_COLUMNS,
  OUTSIDE_TEMPLATE_HEADER,
  toColumnLetter,
  type LoaduserFieldKey,
} from './loaduser-columns';
import type { CellIssue, CellIssueCode, LoaduserRowFields } from './loaduser-row-fields';
import { isBlankCell, type RawSheetRow, type SheetCellValue } from './sheet-row';

const RPPS_LENGTH = 11;
const ADELI_LENGTH = 9;

const REQUIRED_MESSAGES: Partial<Record<LoaduserFieldKey, string>> = {
  email: 'The e-mail address is required: it identifies the box.',
  lastName: 'The last name is required (for ORG and APP boxes: the name of the box).',
  firstName: 'The first name is required (for ORG and APP boxes: a second label, e.g. the structure).',
  type: `The box type is required: one of ${MAILBOX_TYPES.join(', ')}.`,
  responsibleLastName: "The responsible's last name is required when any responsible column (U to Y) is filled.",
  responsibleFirstName: "The responsible's first name is required when any responsible column (U to Y) is filled.",
};

function parseMailboxType(value: SheetCellValue | undefined): CellParse<MailboxType> {
  const text = readCellText(value)?.toUpperCase();
  if (text === undefined) return { value: undefined };
  const type = MAILBOX_TYPES.find((candidate) => candidate === text);
  if (type) return { value: type };
  return { code: 'TYPE_INVALID', message: `"${text}" is not a box type: use one of ${MAILBOX_TYPES.join(', ')}.` };
}

/**
 * Reads one data row into typed fields. Cells are trimmed and empty cells left out; a cell
 * that cannot be read becomes a `CellIssue` naming its row and column, and the other cells
 * are still read so that every problem of the row is reported at once. Columns AE to AG,
 * written by exports, are ignored, and so are the deleted-boxes export's own columns when the
 * header has them (`width`, from `checkHeaderRow`); any other filled cell past AH is an issue,
 * never dropped. A cell holding the clear marker `#VIDE` gives `null` where it may clear.
 */
export function parseLoaduserRow(
  row: RawSheetRow,
  width: number = LOADUSER_COLUMNS.length,
): { fields: LoaduserRowFields; issues: CellIssue[] } {
  const fields: LoaduserRowFields = {};
  const issues: CellIssue[] = [];

  const report = (field: LoaduserFieldKey, code: CellIssueCode, message: string): void => {
    const { letter, header } = findLoaduserColumn(field);
    issues.push({ rowNumber: row.rowNumber, column: letter, header, code, message });
  };
  const marked = new Set(
    LOADUSER_COLUMNS.filter((column) => isClearMarker(row.cells[column.index])).map((column) => column.field),
  );
  // A marked cell is read as empty by the parsers below; what it clears is set at the end.
  const cellOf = (field: LoaduserFieldKey): SheetCellValue | undefined =>
    marked.has(field) ? undefined : row.cells[findLoaduserColumn(field).index];
  function set<Key extends keyof LoaduserRowFields>(field: Key, value: LoaduserRowFields[Key] | undefined): void {
    if (value !== undefined) fields[field] = value;
  }
  function setParsed<Key extends keyof LoaduserRowFields>(field: Key, parse: CellParse<LoaduserRowFields[Key]>): void {
    if ('code' in parse) report(field, parse.code, parse.message);
    else set(field, parse.value);
  }
  const text = (field: LoaduserFieldKey): string | undefined => readCellText(cellOf(field));

  set('email', parseEmail(cellOf('email')));
  set('lastName', text('lastName'));
  set('firstName', text('firstName'));
  set('rpps', parseIdentifier(cellOf('rpps'), RPPS_LENGTH));
  set('address', text('address'));
  set('organisationName', text('organisationName'));
  set('service', text('service'));
  set('postalCode', parsePostalCode(cellOf('postalCode')));
  set('city', text('city'));
  set('phone', parsePhone(cellOf('phone')));
  set('civility', parseCode(cellOf('civility')));
  set('adeli', parseIdentifier(cellOf('adeli'), ADELI_LENGTH));
  set('profession', text('profession'));
  set('professionCategory', parseCode(cellOf('professionCategory')));
  set('specialty', parseCode(cellOf('specialty')));
  setParsed('expiresAt', parseDate(cellOf('expiresAt')));
  setParsed('isTest', parseYesNo(cellOf('isTest')));
  setParsed('directoryVisible', parseYesNo(cellOf('directoryVisible')));
  setParsed('type', parseMailboxType(cellOf('type')));
  set('description', text('description'));
  set('responsibleLastName', text('responsibleLastName'));
  set('responsibleFirstName', text('responsibleFirstName'));
  set('responsibleProfession', text('responsibleProfession'));
  set('responsibleRpps', parseIdentifier(cellOf('responsibleRpps'), RPPS_LENGTH));
  set('responsibleAdeli', parseIdentifier(cellOf('responsibleAdeli'), ADELI_LENGTH));
  setParsed('paperless', parseYesNo(cellOf('paperless')));
  set('mailboxPhone', parsePhone(cellOf('mailboxPhone')));
  set('delegates', parseEmailList(cellOf('delegates')));
  setCorrespondence(fields, parseEmail(cellOf('correspondenceLocalPart')), parseEmail(cellOf('correspondenceDomain')));
  setParsed('connectionAccounts', parseAddressList(cellOf('connectionAccounts')));
  reportCellsOutsideTemplate(row, width, issues);
  applyClearMarkers(marked, fields, report);

  const required: LoaduserFieldKey[] = ['email', 'lastName', 'firstName', 'type'];
  const responsibleCells = [
    fields.responsibleProfession,
    fields.responsibleRpps,
    fields.responsibleAdeli,
    fields.responsibleLastName,
    fields.responsibleFirstName,
  ];
  if (responsibleCells.some((value) => value !== undefined && value !== null))
    required.push('responsibleLastName', 'responsibleFirstName');
  for (const field of required) {
    if (readCellText(cellOf(field)) === undefined && !marked.has(field))
      report(field, 'REQUIRED', REQUIRED_MESSAGES[field] ?? 'This cell is required.');
  }
  return { fields, issues };
}

/**
 * Column AC holds the text before `@`; a whole address typed there is split, and its domain
 * used when column AD is empty.
 */
function setCorrespondence(fields: LoaduserRowFields, localPart: string | undefined, domain: string | undefined): void {
  const at = localPart?.indexOf('@') ?? -1;
  const givenLocalPart = at >= 0 ? localPart?.slice(0, at) : localPart;
  const givenDomain = domain ?? (at >= 0 ? localPart?.slice(at + 1) : undefined);
  if (givenLocalPart) fields.correspondenceLocalPart = givenLocalPart;
  if (givenDomain) fields.correspondenceDomain = givenDomain;
}

/** Filled cells past the columns the header allows: a row error each, since the import would not read them. */
function reportCellsOutsideTemplate(row: RawSheetRow, width: number, issues: CellIssue[]): void {
  for (let index = width; index < row.cells.length; index += 1) {
    if (isBlankCell(row.cells[index])) continue;
    const column = toColumnLetter(index);
    issues.push({
      rowNumber: row.rowNumber,
      column,
      header: OUTSIDE_TEMPLATE_HEADER,
      code: 'OUTSIDE_TEMPLATE',
      message: `Column ${column} is outside the loaduser template, which ends at column AH: the import reads nothing there. Move the value to its column or remove it.`,
    });
  }
}

const RESPONSIBLE_PARTS = ['responsibleProfession', 'responsibleRpps', 'responsibleAdeli'] as const;

/**
 * `#VIDE` cells: `null` in the fields they clear, a `CLEAR_REFUSED` issue where a column cannot
 * be cleared. The responsible's names (U, V) are the person: clearing either removes the whole
 * responsible, so the other responsible cells must then be empty or `#VIDE` too.
 */
function applyClearMarkers(
  marked: ReadonlySet<LoaduserFieldKey>,
  fields: LoaduserRowFields,
  report: (field: LoaduserFieldKey, code: CellIssueCode, message: string) => void,
): void {
  for (const field of marked) {
    const rule = clearRuleOf(field);
    if (rule.kind === 'refused') report(field, 'CLEAR_REFUSED', `${CLEAR_MARKER}: ${rule.reason}`);
    else if (rule.kind === 'clear') fields[rule.field] = null;
  }
  if (fields.responsibleLastName !== null && fields.responsibleFirstName !== null) return;
  const kept = (['responsibleLastName', 'responsibleFirstName', ...RESPONSIBLE_PARTS] as const).find(
    (field) => fields[field] !== undefined && fields[field] !== null,
  );
  if (kept) {
    const message = `${CLEAR_MARKER} in U or V removes the responsible: leave the other responsible cells (U to Y) empty or ${CLEAR_MARKER}.`;
    report(kept, 'CLEAR_REFUSED', message);
  }
  fields.responsibleLastName = null;
  fields.responsibleFirstName = null;
}
