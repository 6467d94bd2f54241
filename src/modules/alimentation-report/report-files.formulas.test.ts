import { PassThrough } from 'node:stream';
import { createTestApp, type TestApp } from '../../../test/harness';
import { bytesOf, downloadFile, readCsvRecords, readXlsxRecords } from '../../../test/downloads';
import { createStructure, createValidMailbox } from '../../../test/factories';
import type { ReportItem } from './alimentation-report.schemas';
import type { ReportStream } from './alimentation-report.service';
import { writeReportCsv, writeReportXlsx } from './report-files';
import { createSummary } from './report-summary';

/** Addresses the API accepts that a spreadsheet would run as formulas. */
const FORMULA_EMAILS = ['=1+1@ex.fr', '+cmd@ex.fr', '-1+1@ex.fr'];

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  // No MSSanté address: each box is an issue row of the report, its e-mail in the address column.
  for (const email of FORMULA_EMAILS) await createValidMailbox(test, structureId, 'PER', { email });
});
afterAll(() => test.close());

const download = (format: 'csv' | 'xlsx') =>
  downloadFile(test, `/v1/structures/${structureId}/alimentation-report?format=${format}`);

describe('formula cells in the alimentation report files', () => {
  it('neutralises addresses that look like formulas in the CSV', async () => {
    const [, ...rows] = await readCsvRecords(bytesOf(await download('csv').expect(200)));
    const addresses = rows.map((row) => row[1]);
    for (const email of FORMULA_EMAILS) expect(addresses).toContain(`'${email}`);
    expect(addresses.filter((address) => /^[=+\-@]/.test(address ?? ''))).toEqual([]);
  });

  it('neutralises them in the XLSX too', async () => {
    const [, ...rows] = await readXlsxRecords(bytesOf(await download('xlsx').expect(200)), 'Issues');
    const addresses = rows.map((row) => row[1]);
    for (const email of FORMULA_EMAILS) expect(addresses).toContain(`'${email}`);
  });

  it('neutralises every text cell, full-width signs, tabs and carriage returns included', async () => {
    const tricky = ['＝1+1', '@SUM(A1)', '\t=1+1', '\r=1+1', '＋cmd', '－1+1', '＠SUM(A1)'];
    const items: ReportItem[] = tricky.map((text) => ({
      mailboxId: text,
      email: text,
      type: 'PER',
      rule: 'MISSING_CORRESPONDENCE',
      severity: 'blocking',
      field: text,
      message: text,
    }));
    const stream = (): ReportStream => ({
      rows: (async function* () {
        yield* items;
      })(),
      summary: createSummary(),
      reference: null,
      generatedAt: new Date('2026-03-02T09:00:00Z'),
    });
    const collect = async (write: (report: ReportStream, out: PassThrough) => Promise<void>) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await write(stream(), out);
      return Buffer.concat(chunks);
    };
    const expected = tricky.map((text) => [
      `'${text}`,
      `'${text}`,
      'PER',
      'MISSING_CORRESPONDENCE',
      'blocking',
      `'${text}`,
      `'${text}`,
    ]);
    const [, ...csvRows] = await readCsvRecords(await collect((report, out) => writeReportCsv(report, 'en', out)));
    expect(csvRows).toEqual(expected);
    const [, ...xlsxRows] = await readXlsxRecords(
      await collect((report, out) => writeReportXlsx(report, 'en', out)),
      'Issues',
    );
    // XLSX keeps a lone carriage return as a line feed.
    expect(xlsxRows).toEqual(expected.map((row) => row.map((cell) => cell.replace('\r', '\n'))));
  });
});
