import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { checkHeaderRow } from './check-header-row';
import type { LoaduserExportRow, LoaduserRowFields } from './loaduser-row-fields';
import { parseLoaduserSheet } from './parse-loaduser-sheet';
import { readLoaduserSheet } from './read-loaduser-sheet';
import { writeLoaduserCsv } from './write-loaduser-csv';
import { writeLoaduserTemplate } from './write-loaduser-template';
import { writeLoaduserXlsx } from './write-loaduser-xlsx';

const FIXTURES = join(__dirname, '../../../test/fixtures');
const SAMPLE_FIELDS = (
  JSON.parse(readFileSync(join(FIXTURES, 'loaduser-expected-rows.json'), 'utf8')) as { fields: LoaduserRowFields }[]
).map((row) => row.fields);

/** Values a spreadsheet would run as formulas, or mangle, if written naively. */
const HOSTILE_FIELDS: LoaduserRowFields = {
  email: '=cmd|"/c calc"!a1@ch-exemple.fr',
  lastName: '-Moins',
  firstName: '@Arobase',
  type: 'PER',
  phone: '+33491000001',
  mailboxPhone: '0491000001',
  address: '=HYPERLINK("http://evil.example")',
  description: '\'=déjà protégée; avec "guillemets"\net deux lignes',
  city: '+',
  adeli: '011234567',
  postalCode: '01000',
  isTest: true,
  directoryVisible: false,
  expiresAt: '2028-02-29',
};

const EXPORT_ONLY = { status: 'valid', lastActivityAt: new Date('2026-11-29T09:50:00Z'), id: '0193a3c4-id' } as const;

async function writeToBuffer(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}

async function* toExportRows(rows: LoaduserRowFields[]): AsyncGenerator<LoaduserExportRow> {
  for (const fields of rows) yield { ...fields, ...EXPORT_ONLY };
}

async function parseAll(
  bytes: Buffer,
  format: 'csv' | 'xlsx',
): Promise<{ fields: LoaduserRowFields; issues: unknown[] }[]> {
  const rows = [];
  for await (const row of parseLoaduserSheet({ stream: Readable.from([bytes]), format })) rows.push(row);
  return rows;
}

describe.each(['csv', 'xlsx'] as const)('%s export read back', (format) => {
  const write = format === 'csv' ? writeLoaduserCsv : writeLoaduserXlsx;

  it('gives back exactly the fields written, hostile values included', async () => {
    const written = [...SAMPLE_FIELDS, HOSTILE_FIELDS];
    const bytes = await writeToBuffer((out) => write(toExportRows(written), out));
    const rows = await parseAll(bytes, format);
    expect(rows.flatMap((row) => row.issues)).toEqual([]);
    expect(rows.map((row) => row.fields)).toEqual(written);
  });

  it('writes a template whose header row passes the header check', async () => {
    const bytes = await writeToBuffer((out) => writeLoaduserTemplate(format, out));
    const rows = [];
    for await (const row of readLoaduserSheet({ stream: Readable.from([bytes]), format })) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rowNumber).toBe(1);
    expect(checkHeaderRow(rows[0]?.cells ?? [])).toEqual({ ok: true, width: 34 });
  });
});

describe('CSV export', () => {
  it('is what French Excel opens: BOM, semicolons, CRLF, neutralised formulas', async () => {
    const bytes = await writeToBuffer((out) => writeLoaduserCsv([HOSTILE_FIELDS], out));
    const text = bytes.toString('utf8');
    expect(text.startsWith('\ufeffAdresse mail;Nom;Prénom;RPPS;')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[1]?.startsWith(`"'=cmd|""/c calc""!a1@ch-exemple.fr";'-Moins;'@Arobase;`)).toBe(true);
    expect(text).toContain(";'+33491000001;");
    expect(text).toContain(';29/02/2028;');
    expect(text).not.toMatch(/;"?[=+\-@]/);
  });
});

describe('XLSX export', () => {
  it('has a Loaduser sheet then a Notice sheet explaining every column', async () => {
    const bytes = await writeToBuffer((out) => writeLoaduserTemplate('xlsx', out));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from([bytes]));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Loaduser', 'Notice']);
    const notice: string[] = [];
    workbook
      .getWorksheet('Notice')
      ?.eachRow((row) => notice.push((row.values as unknown[]).filter((value) => typeof value === 'string').join(',')));
    const text = notice.join('\n');
    expect(text).toContain('AH,Comptes de connexion');
    expect(text).toContain('ne supprime jamais une adresse MSSanté');
    expect(text).toContain('la valeur actuelle est conservée');
    expect(text).toContain('O/N, Oui/Non, Y/N, Yes/No, 1/0, true/false');
  });
});
