import { crc32, deflateRawSync } from 'node:zlib';
import { zipContainer } from './zip-container';

/**
 * Ordinary workbooks, zipped as office programs zip them: Excel puts each part's sizes and CRC
 * in its local header; LibreOffice and streaming writers (exceljs's own) put them in a data
 * descriptor after the data. The central directory repeats them. The parts come in Excel's
 * order, the worksheet before the styles and the shared strings, or with the shared strings
 * first. Every text cell is a shared string, as Excel writes it; numbers are numbers. (Hostile
 * files are `sheet-bombs.ts`.)
 */
export type PartOrder = 'excel' | 'shared-strings-first';
export type SizesIn = 'local-headers' | 'data-descriptors';
export type WorkbookCell = string | number | null;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function columnLetter(index: number): string {
  let letter = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26))
    letter = String.fromCharCode(65 + ((rest - 1) % 26)) + letter;
  return letter;
}

/** A zip of the parts, in the order given, with sizes and CRCs where `sizesIn` says. */
function zip(parts: readonly { path: string; content: string }[], sizesIn: SizesIn): Buffer {
  const entries = parts.map(({ path, content }) => {
    const raw = Buffer.from(content, 'utf8');
    return { path, data: deflateRawSync(raw), checksum: crc32(raw), size: raw.length };
  });
  return zipContainer(entries, { sizesAfterData: sizesIn === 'data-descriptors' });
}

/** A one-sheet workbook of the rows given (the first one at row 1), zipped as told. */
export function excelWorkbook(
  rows: readonly (readonly WorkbookCell[])[],
  { order = 'excel', sizesIn = 'local-headers' }: { order?: PartOrder; sizesIn?: SizesIn } = {},
): Buffer {
  const sharedStrings: string[] = [];
  const indexOf = new Map<string, number>();
  let references = 0;
  const sheetRows = rows.map((cells, rowIndex) => {
    const row = rowIndex + 1;
    const xmlCells = cells.map((cell, columnIndex) => {
      const reference = `${columnLetter(columnIndex)}${row}`;
      if (cell === null) return '';
      if (typeof cell === 'number') return `<c r="${reference}"><v>${cell}</v></c>`;
      references += 1;
      let index = indexOf.get(cell);
      if (index === undefined) {
        index = sharedStrings.length;
        sharedStrings.push(cell);
        indexOf.set(cell, index);
      }
      return `<c r="${reference}" t="s"><v>${index}</v></c>`;
    });
    return `<row r="${row}">${xmlCells.join('')}</row>`;
  });
  const worksheet = {
    path: 'xl/worksheets/sheet1.xml',
    content: `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
  };
  const sharedStringTable = {
    path: 'xl/sharedStrings.xml',
    content: `${XML}<sst xmlns="${MAIN}" count="${references}" uniqueCount="${sharedStrings.length}">${sharedStrings.map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`).join('')}</sst>`,
  };
  const styles = {
    path: 'xl/styles.xml',
    content: `${XML}<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`,
  };
  const opening = [
    {
      path: '[Content_Types].xml',
      content: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CONTENT_TYPE}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CONTENT_TYPE}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${CONTENT_TYPE}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${CONTENT_TYPE}.sharedStrings+xml"/></Types>`,
    },
    {
      path: '_rels/.rels',
      content: `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      path: 'xl/workbook.xml',
      content: `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets><sheet name="Loaduser" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      path: 'xl/_rels/workbook.xml.rels',
      content: `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId3" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
  ];
  const rest = order === 'excel' ? [worksheet, styles, sharedStringTable] : [styles, sharedStringTable, worksheet];
  return zip([...opening, ...rest], sizesIn);
}
