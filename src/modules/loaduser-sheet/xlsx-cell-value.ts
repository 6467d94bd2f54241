import type { SheetCellValue } from './sheet-row';

/**
 * Flattens what exceljs hands out for one cell into a plain value: rich text, hyperlinks,
 * formulas (their cached result), errors (their text, e.g. `#N/A`) and unresolved shared
 * strings all become text, numbers or dates.
 */
export function toSheetCellValue(value: unknown): SheetCellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'object') return null;
  if ('richText' in value && Array.isArray(value.richText)) {
    return value.richText.map((run: unknown) => (isTextRun(run) ? run.text : '')).join('');
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return 'result' in value ? toSheetCellValue(value.result) : null;
  }
  if ('text' in value) return toSheetCellValue(value.text);
  if ('error' in value && typeof value.error === 'string') return value.error;
  return null;
}

function isTextRun(run: unknown): run is { text: string } {
  return typeof run === 'object' && run !== null && 'text' in run && typeof run.text === 'string';
}
