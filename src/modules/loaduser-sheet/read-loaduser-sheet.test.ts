import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { detectSheetFormat } from './detect-sheet-format';
import type { ParsedLoaduserRow } from './loaduser-row-fields';
import { parseLoaduserSheet } from './parse-loaduser-sheet';
import { readLoaduserSheet } from './read-loaduser-sheet';
import { DEFAULT_SHEET_LIMITS } from './sheet-limits';
import type { SheetFormat } from './sheet-row';
import { manyRowsWorkbook, sharedStringsBomb } from '../../../test/sheet-bombs';

const FIXTURES = join(__dirname, '../../../test/fixtures');
const EXPECTED_ROWS = JSON.parse(readFileSync(join(FIXTURES, 'loaduser-expected-rows.json'), 'utf8')) as Pick<
  ParsedLoaduserRow,
  'rowNumber' | 'fields'
>[];

const LOADUSER_FIXTURES = [
  'loaduser-excel-fr.csv',
  'loaduser-utf8-bom.csv',
  'loaduser-comma.csv',
  'loaduser-openpyxl.xlsx',
  'loaduser-libreoffice.xlsx',
  'loaduser-excel97.xls',
];

function readFixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** Streams bytes in chunks of the given size, to put chunk boundaries everywhere. */
function streamBytes(bytes: Buffer, chunkSize = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) chunks.push(bytes.subarray(start, start + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

async function parseBytes(bytes: Buffer, format: SheetFormat, chunkSize?: number): Promise<ParsedLoaduserRow[]> {
  const rows: ParsedLoaduserRow[] = [];
  for await (const row of parseLoaduserSheet({ stream: streamBytes(bytes, chunkSize), format })) rows.push(row);
  return rows;
}

describe('reading the loaduser fixtures', () => {
  it.each(LOADUSER_FIXTURES)('%s parses to the six expected rows', async (name) => {
    const bytes = readFixture(name);
    const rows = await parseBytes(bytes, detectSheetFormat(name, bytes));
    expect(rows.flatMap((row) => row.issues)).toEqual([]);
    expect(rows.map(({ rowNumber, fields }) => ({ rowNumber, fields }))).toEqual(EXPECTED_ROWS);
  });

  it.each([
    ['loaduser-excel-fr.csv', 'csv'],
    ['loaduser-utf8-bom.csv', 'csv'],
    ['loaduser-libreoffice.xlsx', 'xlsx'],
  ] as const)('%s reads the same one byte at a time', async (name, format) => {
    const rows = await parseBytes(readFixture(name), format, 1);
    expect(rows.map(({ rowNumber, fields }) => ({ rowNumber, fields }))).toEqual(EXPECTED_ROWS);
  });

  it('detects each fixture format from its bytes', () => {
    const formats = LOADUSER_FIXTURES.map((name) => detectSheetFormat(name, readFixture(name).subarray(0, 512)));
    expect(formats).toEqual(['csv', 'csv', 'csv', 'xlsx', 'xlsx', 'xls']);
  });

  it('refuses the outdated template, naming the first column that differs', async () => {
    await expect(parseBytes(readFixture('loaduser-outdated-template.csv'), 'csv')).rejects.toMatchObject({
      name: 'SheetError',
      code: 'TEMPLATE_OUTDATED',
      details: { column: 'H', header: 'Code postal', found: 'Type de BAL' },
      message: expect.stringContaining('GET /v1/imports/template'),
    });
  });
});

describe('reading damaged files', () => {
  it.each(['loaduser-openpyxl.xlsx', 'loaduser-libreoffice.xlsx'])(
    '%s cut in half is FILE_UNREADABLE',
    async (name) => {
      const bytes = readFixture(name);
      await expect(parseBytes(bytes.subarray(0, bytes.length / 2), 'xlsx')).rejects.toMatchObject({
        code: 'FILE_UNREADABLE',
      });
    },
  );

  it('refuses an xlsx cut anywhere inside its parts, without hanging', async () => {
    const bytes = readFixture('loaduser-openpyxl.xlsx');
    // The streaming reader never sees the central directory, so a cut right between two whole
    // zip entries may go unnoticed; a cut inside an entry never does.
    for (const length of [1, 4, 30, 100, 1000, 3000, 4000, 5400, bytes.length - 300]) {
      await expect(parseBytes(bytes.subarray(0, length), 'xlsx')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    }
  });

  it('refuses a truncated xls and garbage announced as xlsx or xls', async () => {
    const xls = readFixture('loaduser-excel97.xls');
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256));
    await expect(parseBytes(xls.subarray(0, 600), 'xls')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    await expect(parseBytes(garbage, 'xlsx')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    await expect(parseBytes(Buffer.concat([Buffer.from('PK\x03\x04'), garbage]), 'xlsx')).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    });
    await expect(parseBytes(garbage, 'xls')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('refuses an empty file and a CSV with an unterminated quote', async () => {
    await expect(parseBytes(Buffer.alloc(0), 'csv')).rejects.toMatchObject({ code: 'FILE_EMPTY' });
    await expect(parseBytes(Buffer.alloc(0), 'xlsx')).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    const header = readFixture('loaduser-utf8-bom.csv').toString('utf8').split('\r\n')[0] ?? '';
    await expect(parseBytes(Buffer.from(`${header}\r\n"a@b.fr;Nom\r\n`), 'csv')).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    });
  });

  it('lets an input stream failure through as it is', async () => {
    const failing = (bytes: Buffer): Readable =>
      Readable.from(
        (async function* failAfterFirstChunk() {
          yield bytes.subarray(0, 200);
          throw new Error('connection reset');
        })(),
        { objectMode: false },
      );
    for (const [name, format] of [
      ['loaduser-utf8-bom.csv', 'csv'],
      ['loaduser-openpyxl.xlsx', 'xlsx'],
    ] as const) {
      const rows = readLoaduserSheet({ stream: failing(readFixture(name)), format });
      await expect(
        (async () => {
          for await (const _row of rows) {
            /* drain */
          }
        })(),
      ).rejects.toThrow('connection reset');
    }
  });
});

describe('CSV details', () => {
  const header =
    readFixture('loaduser-utf8-bom.csv')
      .toString('utf8')
      .split('\r\n')[0]
      ?.replace(/^\ufeff/, '') ?? '';

  async function readCsv(text: string | Buffer): Promise<{ rowNumber: number; first: unknown }[]> {
    const rows = [];
    const stream = streamBytes(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 7);
    for await (const row of readLoaduserSheet({ stream, format: 'csv' }))
      rows.push({ rowNumber: row.rowNumber, first: row.cells[1] });
    return rows;
  }

  it('skips empty rows but keeps the numbering Excel shows, LF line ends included', async () => {
    const rows = await readCsv(`${header}\n\n;;;\na@b.fr;"Nom\nsur deux lignes"\n\nc@d.fr;Autre\n`);
    expect(rows).toEqual([
      { rowNumber: 1, first: 'Nom' },
      { rowNumber: 4, first: 'Nom\nsur deux lignes' },
      { rowNumber: 6, first: 'Autre' },
    ]);
  });

  it('honours a first line "sep=," and does not count it as a row', async () => {
    const rows = await readCsv(`sep=,\r\n${header.replaceAll(';', ',')}\r\na@b.fr,"Nom; avec point-virgule"\r\n`);
    expect(rows).toEqual([
      { rowNumber: 1, first: 'Nom' },
      { rowNumber: 2, first: 'Nom; avec point-virgule' },
    ]);
  });

  it('reads Windows-1252 when the first accent comes long after an ASCII header', async () => {
    const asciiHeader = header.normalize('NFD').replace(/\p{M}/gu, '');
    const filler = Array.from({ length: 500 }, (_, index) => `x${index}@b.fr;Nom`).join('\r\n');
    const bytes = Buffer.from(`${asciiHeader}\r\n${filler}\r\nz@b.fr;Lef\u00e8vre\u20ac\r\n`, 'latin1');
    bytes[bytes.length - 3] = 0x80; // the euro sign, where Windows-1252 differs from Latin-1
    const rows = await readCsv(bytes);
    expect(rows.at(-1)).toEqual({ rowNumber: 502, first: 'Lefèvre€' });
  });
});

describe('leaving early', () => {
  it.each([
    ['loaduser-excel-fr.csv', 'csv'],
    ['loaduser-libreoffice.xlsx', 'xlsx'],
  ] as const)('releases the input of %s when the reader leaves early', async (name, format) => {
    const stream = streamBytes(readFixture(name), 16);
    for await (const row of readLoaduserSheet({ stream, format })) {
      expect(row.rowNumber).toBe(1);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
  });
});

describe('mixed encodings', () => {
  const header =
    readFixture('loaduser-utf8-bom.csv')
      .toString('utf8')
      .split('\r\n')[0]
      ?.replace(/^\ufeff/, '') ?? '';

  it.each([
    ['in a later chunk', 7, 3],
    ['in the same chunk', 64 * 1024, 3],
  ])(
    'refuses a UTF-8 file with a stray byte %s, naming its line, instead of storing U+FFFD',
    async (_label, chunkSize, line) => {
      const bytes = Buffer.concat([
        Buffer.from(`${header}\r\na@b.fr;Lefèvre\r\n`),
        Buffer.from('c@d.fr;Lef\xe8vre\r\n', 'latin1'),
      ]);
      const rows = readLoaduserSheet({ stream: streamBytes(bytes, chunkSize), format: 'csv' });
      await expect(
        (async () => {
          for await (const _row of rows) {
            /* drain */
          }
        })(),
      ).rejects.toMatchObject({
        code: 'FILE_ENCODING_INVALID',
        message: expect.stringContaining(`Line ${line}`),
      });
    },
  );
});

describe('the reader thread', () => {
  it('holds the default row limit against 5,000,000 one-cell rows', async () => {
    const bytes = manyRowsWorkbook(5_000_000);
    let count = 0;
    const reading = (async () => {
      for await (const _row of readLoaduserSheet({ stream: streamBytes(bytes, 1024 * 1024), format: 'xlsx' }))
        count += 1;
    })();
    await expect(reading).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      details: { row: 200_002, limit: 200_000, setting: 'BALISE_IMPORT_MAX_ROWS' },
    });
    expect(count).toBe(200_001);
  }, 60_000);

  it('ends a reader that outgrows its heap with FILE_TOO_COMPLEX, and the process goes on', async () => {
    // 400,000 strings of 200 characters: within every limit, not within 64 MB.
    const bytes = sharedStringsBomb(400_000, 200);
    const read = (readerMemoryMb: number) =>
      (async () => {
        let count = 0;
        for await (const _row of readLoaduserSheet(
          { stream: streamBytes(bytes), format: 'xlsx' },
          { ...DEFAULT_SHEET_LIMITS, readerMemoryMb },
        ))
          count += 1;
        return count;
      })();
    await expect(read(64)).rejects.toMatchObject({
      code: 'FILE_TOO_COMPLEX',
      details: { setting: 'BALISE_IMPORT_READER_MEMORY_MB', limit: 64 },
    });
    expect(await read(512)).toBe(2);
  }, 60_000);
});
