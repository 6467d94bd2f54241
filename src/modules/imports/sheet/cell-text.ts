import type { SheetCellValue } from './sheet-row';

/**
 * A cell a spreadsheet would run as a formula (CSV injection). A run of leading apostrophes
 * counts too, so that neutralising stays reversible for values that already start with one.
 */
const FORMULA_LIKE = /^'*[=+\-@]/;
const NEUTRALISED = /^'+[=+\-@]/;

/** Prefixes formula-like text with `'` so that spreadsheets show it instead of running it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_LIKE.test(text) ? `'${text}` : text;
}

/** Reads back a value written by `neutraliseFormula` (a `'+33…` phone becomes `+33…` again). */
export function restoreNeutralisedFormula(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/** `YYYY-MM-DD` of a date as spreadsheets mean it: a calendar day, read at UTC. */
export function formatIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Integers in full digits (never `1.0990000019e+10`); other numbers as JavaScript writes them. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

/**
 * The text of a cell, trimmed, with formula neutralisation undone; `undefined` when the cell
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
  text = restoreNeutralisedFormula(text.replace(/\r\n?/g, '\n').trim());
  return text === '' ? undefined : text;
}
