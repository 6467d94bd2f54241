/**
 * Text a spreadsheet would run as a formula when it opens a CSV or XLSX cell (CSV injection,
 * OWASP): a start with `=`, `+`, `-` or `@`, their full-width forms (`＝` U+FF1D, `＋` U+FF0B,
 * `－` U+FF0D, `＠` U+FF20, which some spreadsheets in East Asian locales fold to ASCII), or a tab or
 * carriage return (which Excel skips before reading what follows). Every CSV and XLSX writer of
 * the API passes its text cells through `neutraliseFormula`, and nothing else does this.
 *
 * Legitimate values start that way too (`+33 4 91…` phones, `-Urgences`): they get the same `'`,
 * which spreadsheets show as a text marker, and the loaduser reader takes it off again, so an
 * export re-imports unchanged. A run of apostrophes before such a start counts as well, so that
 * a value which itself began with `'=` comes back whole.
 */
const FORMULA_START = '[=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20]';
const FORMULA_LIKE = new RegExp(`^'*${FORMULA_START}`);
const NEUTRALISED = new RegExp(`^'+${FORMULA_START}`);

/** Prefixes formula-like text with `'` so that spreadsheets show it instead of running it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_LIKE.test(text) ? `'${text}` : text;
}

/** Reads back a value written by `neutraliseFormula` (a `'+33…` phone becomes `+33…` again). */
export function restoreNeutralisedFormula(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}
