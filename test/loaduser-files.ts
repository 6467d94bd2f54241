import ExcelJS from 'exceljs';
import { LOADUSER_TEST_HEADERS } from './loaduser-test-headers';

export type LoaduserTestFormat = 'csv' | 'xlsx';

/** Zero-based index of a spreadsheet column letter: A → 0, AH → 33, AI → 34. */
export function columnIndexOf(letter: string): number {
  return [...letter].reduce((index, char) => index * 26 + (char.charCodeAt(0) - 64), 0) - 1;
}

/** Rows given by column letter, any letter (past AH too), as arrays from column A. */
function toRecords(rows: Record<string, string>[], headers: readonly string[]): string[][] {
  return [
    [...headers],
    ...rows.map((row) => {
      const width = Math.max(headers.length, ...Object.keys(row).map((letter) => columnIndexOf(letter) + 1));
      const cells: string[] = Array.from({ length: width }, () => '');
      for (const [letter, value] of Object.entries(row)) cells[columnIndexOf(letter)] = value;
      return cells;
    }),
  ];
}

/**
 * A real loaduser file, CSV (`;`, UTF-8, as French Excel saves it) or XLSX (written by exceljs,
 * every cell a text cell as a user types it), with cells given by letter, including letters past
 * the template's last column AH. `headers` replaces the template's header row.
 */
export async function loaduserFile(
  format: LoaduserTestFormat,
  rows: Record<string, string>[],
  headers: readonly string[] = LOADUSER_TEST_HEADERS,
): Promise<Buffer> {
  const records = toRecords(rows, headers);
  if (format === 'csv') {
    const quote = (cell: string) => (/[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    return Buffer.from(records.map((record) => record.map(quote).join(';')).join('\r\n') + '\r\n', 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Loaduser');
  for (const record of records) sheet.addRow(record.map((cell) => (cell === '' ? null : cell)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const fileNameOf = (format: LoaduserTestFormat) => `loaduser.${format}`;
