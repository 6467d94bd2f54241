/**
 * The loaduser spreadsheet, read by imports and written by exports (and the template): pure
 * reading and writing, no database, no HTTP.
 */
export { assertHeaderRow, checkHeaderRow, type HeaderCheck } from './check-header-row';
export { detectSheetFormat } from './detect-sheet-format';
export {
  LOADUSER_COLUMNS,
  LOADUSER_HEADERS,
  TEMPLATE_DOWNLOAD_ROUTE,
  TEMPLATE_VERSION,
  findLoaduserColumn,
  normaliseHeader,
  toColumnLetter,
  type LoaduserColumn,
  type LoaduserFieldKey,
} from './loaduser-columns';
export {
  CELL_ISSUE_CODES,
  type CellIssue,
  type CellIssueCode,
  type LoaduserExportRow,
  type LoaduserRowFields,
  type ParsedLoaduserRow,
} from './loaduser-row-fields';
export { parseLoaduserRow } from './parse-loaduser-row';
export { parseLoaduserSheet } from './parse-loaduser-sheet';
export { FORMAT_SNIFF_BYTES, peekStreamStart, type PeekedStream } from './peek-stream-start';
export { readLoaduserSheet } from './read-loaduser-sheet';
export { DEFAULT_SHEET_LIMITS, SHEET_LIMIT_SETTINGS, type SheetLimits } from './sheet-limits';
export {
  SHEET_ERROR_CODES,
  SheetError,
  isSheetError,
  type SheetErrorCode,
  type SheetErrorDetails,
} from './sheet-error';
export { SHEET_FORMATS, type RawSheetRow, type SheetCellValue, type SheetFormat, type SheetInput } from './sheet-row';
export { CLEAR_MARKER } from './clear-marker';
export {
  hasRequiredFields,
  toMailboxFields,
  withoutClearMarkers,
  type CompleteLoaduserRowFields,
} from './to-mailbox-fields';
export { writeLoaduserCsv, type LoaduserWriteOptions } from './write-loaduser-csv';
export { writeLoaduserTemplate } from './write-loaduser-template';
export { LOADUSER_SHEET_NAME, NOTICE_SHEET_NAME, writeLoaduserXlsx } from './write-loaduser-xlsx';
