import ExcelJS from 'exceljs';
import { parseString } from 'fast-csv';
import type { Response } from 'superagent';
import { bearer, type TestApp } from './harness';

/** GETs a file; supertest then keeps the binary body as it came (`bytesOf`). */
export const downloadFile = (test: TestApp, url: string, key = test.operatorKey) =>
  test.http
    .get(url)
    .set(bearer(key))
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });

export const bytesOf = (response: Response) => response.body as Buffer;

/** The records of a CSV the API wrote (UTF-8 with a byte-order mark, `;`), as a spreadsheet reads them. */
export async function readCsvRecords(bytes: Buffer): Promise<string[][]> {
  const rows: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    parseString<string[], string[]>(bytes.toString('utf8').replace(/^\uFEFF/, ''), { delimiter: ';' })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve());
  });
  return rows;
}

/** The cells' text of one sheet of an XLSX the API wrote, `width` cells a row (else each row's own count). */
export async function readXlsxRecords(bytes: Buffer, sheetName: string, width?: number): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const rows: string[][] = [];
  workbook.getWorksheet(sheetName)!.eachRow((row) => {
    rows.push(Array.from({ length: width ?? row.cellCount }, (_unused, index) => row.getCell(index + 1).text));
  });
  return rows;
}
