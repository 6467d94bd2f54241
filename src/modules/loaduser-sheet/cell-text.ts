import { restoreNeutralisedFormula } from '../../shared/spreadsheet-safe-text';
import { restoreClearMarkerLookalike } from './clear-marker';
import type { SheetCellValue } from './sheet-row';

/** `YYYY-MM-DD` of a date as spreadsheets mean it: a calendar day, read at UTC. */
export function formatIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Integers in full digits (never `1.0990000019e+10`); other numbers as JavaScript writes them. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

/**
 * The text of a cell, trimmed, with formula neutralisation (and the `'` of a `#VIDE` written as
 * text, see clear-marker.ts) undone; `undefined` when the cell
 * is empty, which means "not given". Line breaks inside a cell become `\n` whatever the file
 * wrote, since XLSX cannot keep a bare `\r` and CSV may hold either.
 */
export function readCellText(value: SheetCellValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = formatNumber(value);
  else if (value instanceof Date) text = formatIsoDate(value);
  else text = String(value);
  text = restoreClearMarkerLookalike(restoreNeutralisedFormula(text.replace(/\r\n?/g, '\n').trim()));
  return text === '' ? undefined : text;
}
