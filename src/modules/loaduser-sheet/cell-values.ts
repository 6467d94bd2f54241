import { isWellFormedEmail } from '../../domain/mssante-address';
import { formatNumber, readCellText } from './cell-text';
import { excelSerialToDate } from './excel-serial-date';
import type { CellIssueCode } from './loaduser-row-fields';
import type { SheetCellValue } from './sheet-row';

/** A parsed cell: its value (`undefined` = not given), or why it could not be read. */
export type CellParse<T> = { value: T | undefined } | { code: CellIssueCode; message: string };

const YES = new Set(['o', 'oui', 'y', 'yes', '1', 'true', 'x', 'vrai']);
const NO = new Set(['n', 'non', 'no', '0', 'false', 'faux']);

export function parseYesNo(value: SheetCellValue | undefined): CellParse<boolean> {
  if (typeof value === 'boolean') return { value };
  const text = readCellText(value);
  if (text === undefined) return { value: undefined };
  const key = text.toLowerCase();
  if (YES.has(key)) return { value: true };
  if (NO.has(key)) return { value: false };
  return { code: 'YES_NO_INVALID', message: `"${text}" is not a yes/no value: use O (yes) or N (no).` };
}

function toIsoDay(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  const isSameDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isSameDay && year >= 1900 ? date.toISOString().slice(0, 10) : undefined;
}

const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/;

/** Accepts `JJ/MM/AAAA`, `AAAA-MM-JJ`, a spreadsheet date, or an Excel serial day number. */
export function parseDate(value: SheetCellValue | undefined): CellParse<string> {
  let isoDay: string | undefined;
  if (value instanceof Date) {
    isoDay = Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  } else if (typeof value === 'number') {
    isoDay = excelSerialToDate(Math.floor(value))?.toISOString().slice(0, 10);
  } else {
    const text = readCellText(value);
    if (text === undefined) return { value: undefined };
    const dayFirst = DAY_MONTH_YEAR.exec(text);
    const yearFirst = YEAR_MONTH_DAY.exec(text);
    if (dayFirst) isoDay = toIsoDay(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
    else if (yearFirst) isoDay = toIsoDay(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  }
  if (isoDay !== undefined) return { value: isoDay };
  const shown = value instanceof Date ? value.toISOString() : String(value);
  return { code: 'DATE_INVALID', message: `"${shown}" is not a date: write it as JJ/MM/AAAA (e.g. 31/12/2027).` };
}

/**
 * RPPS (11 digits) and ADELI (9 digits) numbers, which spreadsheets turn into numbers: back
 * to digits, without exponent or `.0`, with the leading zeros a number cannot keep. Digit
 * strings one or two zeros short get them back too, because a CSV saved by Excel has lost
 * them the same way (ADELI numbers start with a department, `01` to `09`); padding cannot make
 * a wrong number pass, since leading zeros leave the Luhn key unchanged. Anything else is
 * returned as written, for the rules to reject.
 */
export function parseIdentifier(value: SheetCellValue | undefined, length: number): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    return formatNumber(value).padStart(length, '0');
  const text = readCellText(value)?.replace(/\s+/g, '');
  if (text === undefined) return undefined;
  const withoutDecimals = /^(\d+)[.,]0+$/.exec(text)?.[1];
  if (withoutDecimals !== undefined) return withoutDecimals.padStart(length, '0');
  // "1.0990000019E+10": exact only when the mantissa shows every digit.
  const exponent = /^(\d)[.,](\d+)E\+?(\d+)$/i.exec(text);
  if (
    exponent &&
    exponent[2]?.length === Number(exponent[3]) &&
    (exponent[1] ?? '').length + (exponent[2] ?? '').length === length
  ) {
    return `${exponent[1]}${exponent[2]}`;
  }
  if (/^\d+$/.test(text) && text.length < length && text.length >= length - 2) return text.padStart(length, '0');
  return text;
}

/**
 * French numbers that a spreadsheet took for numbers: `0491000001` loses its `0`, `+33491000001`
 * its `+`. Both shapes are unambiguous, so they are restored; other values are kept as written.
 */
export function parsePhone(value: SheetCellValue | undefined): string | undefined {
  const text = readCellText(value);
  if (text === undefined || !/^\d+$/.test(text)) return text;
  if (text.length === 9 && !text.startsWith('0')) return `0${text}`;
  if (text.length === 11 && text.startsWith('33')) return `+${text}`;
  return text;
}

/** French postal codes have five digits; those of departments 01 to 09 lose their `0` as numbers. */
export function parsePostalCode(value: SheetCellValue | undefined): string | undefined {
  const text = readCellText(value);
  return text !== undefined && /^\d{4}$/.test(text) ? `0${text}` : text;
}

/** Codes (civility, category, savoir-faire) are upper case in every reference table. */
export function parseCode(value: SheetCellValue | undefined): string | undefined {
  return readCellText(value)?.toUpperCase();
}

export function parseEmail(value: SheetCellValue | undefined): string | undefined {
  return readCellText(value)?.toLowerCase();
}

/** `;`-separated e-mails; commas and spaces are forgiven, duplicates dropped. */
export function parseEmailList(value: SheetCellValue | undefined): string[] | undefined {
  const text = readCellText(value);
  if (text === undefined) return undefined;
  const emails = [
    ...new Set(
      text
        .toLowerCase()
        .split(/[;,\s]+/)
        .filter((email) => email !== ''),
    ),
  ];
  return emails.length > 0 ? emails : undefined;
}

/**
 * Column AH, which the template defines as `;`-separated e-mails: spaces around a `;` and a
 * trailing `;` are forgiven, duplicates dropped, anything else that is not an address (a comma
 * between two, a name, a number) is refused rather than guessed at, so no account is dropped or
 * invented silently.
 */
export function parseAddressList(value: SheetCellValue | undefined): CellParse<string[]> {
  const text = readCellText(value);
  if (text === undefined) return { value: undefined };
  const items = text
    .toLowerCase()
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const wrong = items.find((item) => !isWellFormedEmail(item));
  if (items.length > 0 && wrong === undefined) return { value: [...new Set(items)] };
  const reason = wrong === undefined ? 'it holds no address' : `"${wrong}" is not an e-mail address`;
  return {
    code: 'ADDRESS_LIST_INVALID',
    message: `This cell lists e-mail addresses separated by ";" (e.g. a@x.fr;b@x.fr), and ${reason}.`,
  };
}
