import { constants, deflateRawSync } from 'node:zlib';
import { LOADUSER_TEST_HEADERS } from './loaduser-test-headers';
import { zipContainer } from './zip-container';

/**
 * Hostile spreadsheets, built small: a deflate segment ended by a full flush starts from an
 * empty dictionary, so the same input compresses to the same bytes every time, and repeating
 * those bytes is a valid deflate stream of the input repeated. A 6 GB part costs a few MB.
 */
export interface ZipPart {
  path: string;
  /** The part's bytes, or a repeated piece (`times` copies of `piece` between `head` and `tail`). */
  content: Buffer | { head?: string; piece: string; times: number; tail?: string } | { deflated: Buffer };
}

/** Level 9 for the few pieces repeated; level 1 where much text is compressed once. */
const fullFlush = (bytes: Buffer, level = 9) => deflateRawSync(bytes, { finishFlush: constants.Z_FULL_FLUSH, level });
/** The last, empty, fixed-Huffman block that ends a deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

function deflatePart(content: ZipPart['content']): Buffer {
  if (Buffer.isBuffer(content)) return Buffer.concat([fullFlush(content), FINAL_BLOCK]);
  if ('deflated' in content) return content.deflated;
  const segment = fullFlush(Buffer.from(content.piece, 'utf8'));
  return Buffer.concat([
    fullFlush(Buffer.from(content.head ?? '', 'utf8')),
    ...Array.from({ length: content.times }, () => segment),
    fullFlush(Buffer.from(content.tail ?? '', 'utf8')),
    FINAL_BLOCK,
  ]);
}

/**
 * A zip as a streaming writer makes it: sizes and CRC given in a data descriptor after each part,
 * the way a bomb hides its size. The CRCs and the unpacked sizes are zero: streaming readers never
 * get to check them.
 */
export function buildZip(parts: readonly ZipPart[]): Buffer {
  const entries = parts.map((part) => ({ path: part.path, data: deflatePart(part.content), checksum: 0, size: 0 }));
  return zipContainer(entries, { sizesAfterData: true });
}

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function columnLetter(index: number): string {
  let letter = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26))
    letter = String.fromCharCode(65 + ((rest - 1) % 26)) + letter;
  return letter;
}

/** An inline-string cell: no shared-string table needed. */
export const inlineCell = (reference: string, text: string) =>
  `<c r="${reference}" t="inlineStr"><is><t>${escapeXml(text)}</t></is></c>`;

/** The template's header as the first row of a worksheet. */
export const HEADER_ROW = `<row r="1">${LOADUSER_TEST_HEADERS.map((header, index) => inlineCell(`${columnLetter(index)}1`, header)).join('')}</row>`;

/** Opens a worksheet up to its rows; `WORKSHEET_END` closes it. */
export const WORKSHEET_START = `${XML}<worksheet xmlns="${MAIN}"><sheetData>`;
export const WORKSHEET_END = '</sheetData></worksheet>';

/** The parts every workbook needs besides its worksheet (and shared strings, when it has them). */
export function workbookParts(hasSharedStrings: boolean): ZipPart[] {
  const sharedStrings = hasSharedStrings
    ? `<Relationship Id="rId2" Type="${RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>`
    : '';
  return [
    {
      path: '[Content_Types].xml',
      content: Buffer.from(
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
      ),
    },
    {
      path: '_rels/.rels',
      content: Buffer.from(
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      path: 'xl/workbook.xml',
      content: Buffer.from(
        `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets><sheet name="Loaduser" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      path: 'xl/_rels/workbook.xml.rels',
      content: Buffer.from(
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings}</Relationships>`,
      ),
    },
  ];
}

/**
 * Finding 1: a worksheet of one header row and one shared-string cell, followed (as Excel
 * orders its parts) by a shared-string table of `count` strings of `length` characters.
 */
export function sharedStringsBomb(count: number, length: number): Buffer {
  const perPiece = Math.max(1, Math.floor((1024 * 1024) / (length + 16)));
  const string = `<si><t>${'x'.repeat(length)}</t></si>`;
  const piece = string.repeat(perPiece);
  return buildZip([
    ...workbookParts(true),
    {
      path: 'xl/worksheets/sheet1.xml',
      content: Buffer.from(
        `${WORKSHEET_START}${HEADER_ROW}<row r="2"><c r="A2" t="s"><v>0</v></c></row>${WORKSHEET_END}`,
      ),
    },
    {
      path: 'xl/sharedStrings.xml',
      content: {
        head: `${XML}<sst xmlns="${MAIN}" count="${count}" uniqueCount="${count}">`,
        piece,
        times: Math.floor(count / perPiece),
        tail: `${string.repeat(count % perPiece)}</sst>`,
      },
    },
  ]);
}

/**
 * Finding 4: a header, then `count` rows of one inline cell each, numbered as Excel numbers
 * them. Compressed 10,000 rows at a time, so that 5,000,000 rows never exist as one string.
 */
export function manyRowsWorkbook(count: number): Buffer {
  const blocks = [fullFlush(Buffer.from(`${WORKSHEET_START}${HEADER_ROW}`, 'utf8'))];
  for (let first = 2; first <= count + 1; first += 10_000) {
    const rows: string[] = [];
    for (let row = first; row < Math.min(first + 10_000, count + 2); row += 1)
      rows.push(`<row r="${row}">${inlineCell(`A${row}`, 'x')}</row>`);
    blocks.push(fullFlush(Buffer.from(rows.join(''), 'utf8'), 1));
  }
  blocks.push(fullFlush(Buffer.from(WORKSHEET_END, 'utf8')), FINAL_BLOCK);
  return buildZip([
    ...workbookParts(false),
    { path: 'xl/worksheets/sheet1.xml', content: { deflated: Buffer.concat(blocks) } },
  ]);
}

/**
 * A worksheet that inflates to `megabytes` MB: blanks inside one of its tags, which XML parsers
 * skip without keeping them, so only the unpacked-size limit can stop it.
 */
export function unpackedSizeBomb(megabytes: number): Buffer {
  return buildZip([
    ...workbookParts(false),
    {
      path: 'xl/worksheets/sheet1.xml',
      content: {
        head: `${WORKSHEET_START}${HEADER_ROW}<row r="2"`,
        piece: ' '.repeat(1024 * 1024),
        times: megabytes,
        tail: `>${inlineCell('A2', 'x')}</row>${WORKSHEET_END}`,
      },
    },
  ]);
}

/** A data row `columns` cells wide. */
export function wideRowWorkbook(columns: number): Buffer {
  const cells = Array.from({ length: columns }, (_cell, index) => inlineCell(`${columnLetter(index)}2`, 'x')).join('');
  return buildZip([
    ...workbookParts(false),
    {
      path: 'xl/worksheets/sheet1.xml',
      content: Buffer.from(`${WORKSHEET_START}${HEADER_ROW}<row r="2">${cells}</row>${WORKSHEET_END}`),
    },
  ]);
}

/**
 * The hostile uploads as they were first found: what each is, how to build its
 * bytes, and the code its import must fail with under the limits the server ships with. Sent to a
 * real server process by `imports.limits.server.test.ts` (the outcome) and `bench:hostile` (its
 * liveness and memory, next to an idle ceiling).
 */
export const HOSTILE_UPLOADS: readonly { what: string; fileName: string; build: () => Buffer; code: string }[] = [
  {
    what: '16 MB XLSX, 6,000,000 shared strings of 1,000 characters (6 GB)',
    fileName: 'bomb.xlsx',
    build: () => sharedStringsBomb(6_000_000, 1000),
    code: 'SHARED_STRINGS_TOO_LONG',
  },
  {
    what: '4 MB XLSX, 100,000,000 one-character shared strings',
    fileName: 'tiny.xlsx',
    build: () => sharedStringsBomb(100_000_000, 1),
    code: 'TOO_MANY_SHARED_STRINGS',
  },
  {
    what: 'XLSX with a part that unpacks to 6 GB',
    fileName: 'unpacked.xlsx',
    build: () => unpackedSizeBomb(6000),
    code: 'FILE_TOO_LARGE_UNPACKED',
  },
  {
    what: 'CSV with a row of 20,000,000 commas',
    fileName: 'commas.csv',
    build: () => Buffer.from(`${LOADUSER_TEST_HEADERS.join(';')}\r\n${','.repeat(20_000_000)}\r\n`),
    code: 'CELL_TOO_LONG',
  },
  {
    what: 'CSV with a quoted field of 45 MB',
    fileName: 'field.csv',
    build: () => Buffer.from(`${LOADUSER_TEST_HEADERS.join(';')}\r\n"a@b.fr";"${'x'.repeat(45_000_000)}"\r\n`),
    code: 'CELL_TOO_LONG',
  },
  {
    what: 'XLSX of 5,000,000 one-cell rows',
    fileName: 'rows.xlsx',
    build: () => manyRowsWorkbook(5_000_000),
    code: 'TOO_MANY_ROWS',
  },
];
