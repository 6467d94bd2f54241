import { neutraliseFormula } from '../../shared/spreadsheet-safe-text';
import { formatIsoDate } from './cell-text';
import { protectClearMarker } from './clear-marker';
import { EXPORT_STATUS_LABELS } from './export-status-labels';
import { LIFECYCLE_EXPORT_COLUMNS, LOADUSER_COLUMNS } from './loaduser-columns';
import type { LoaduserExportRow } from './loaduser-row-fields';

export type ExportTarget = 'csv' | 'xlsx';
/** A cell to write: text, a date (XLSX only), or nothing. */
export type ExportCell = string | Date | null;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Expiry dates: a real date cell in XLSX; `JJ/MM/AAAA` in CSV, which French Excel opens as a
 * date and saves back unchanged. Both read back to the same `YYYY-MM-DD`.
 */
function formatExpiryDate(value: string, target: ExportTarget): ExportCell {
  const match = DATE_ONLY.exec(value);
  if (!match) return neutraliseFormula(value);
  const [, year, month, day] = match;
  return target === 'xlsx'
    ? new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
    : `${day}/${month}/${year}`;
}

/** Last activity is informative only; an ISO instant with its zone is unambiguous anywhere. */
function formatInstant(value: Date | string): string {
  return value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
}

function formatValue(value: unknown): ExportCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'O' : 'N';
  if (Array.isArray(value)) return value.length > 0 ? neutraliseFormula(value.join(';')) : null;
  if (value instanceof Date) return formatIsoDate(value);
  if (typeof value === 'string') return value === '' ? null : neutraliseFormula(protectClearMarker(value));
  return typeof value === 'number' ? String(value) : null;
}

/** A lifecycle date: the UTC day, as a date cell in XLSX and `JJ/MM/AAAA` in CSV, like expiry dates. */
function formatDay(value: Date, target: ExportTarget): ExportCell {
  return formatExpiryDate(formatIsoDate(value), target);
}

/**
 * The 34 cells (A..AH) of one exported row, the inverse of `parseLoaduserRow`: yes/no as O/N,
 * lists joined with `;`, formula-like text neutralised with a leading `'`, and so is text that
 * would read as the clear marker `#VIDE`; the status in French. With `withLifecycleDates`, the
 * deleted-boxes export's three date columns follow (AI..AK).
 */
export function formatExportRow(
  row: LoaduserExportRow,
  target: ExportTarget,
  withLifecycleDates = false,
): ExportCell[] {
  const cells = LOADUSER_COLUMNS.map(({ field }) => {
    if (field === 'status') return row.status ? EXPORT_STATUS_LABELS[row.status] : null;
    const value = row[field];
    if (value === null || value === undefined) return null;
    if (field === 'expiresAt' && typeof value === 'string') return formatExpiryDate(value, target);
    if (field === 'lastActivityAt' && (typeof value === 'string' || value instanceof Date))
      return neutraliseFormula(formatInstant(value));
    return formatValue(value);
  });
  if (!withLifecycleDates) return cells;
  return [
    ...cells,
    ...LIFECYCLE_EXPORT_COLUMNS.map(({ field }) => {
      const value = row[field];
      return value ? formatDay(value, target) : null;
    }),
  ];
}
