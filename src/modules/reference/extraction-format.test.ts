import { checkExtractionHeader, NotUtf8TextError, parseExtractionLine, readLines, TextChunker } from './extraction-format';

const HEADER = "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|Identification nationale PP|Type identifiant structure|Identification Structure|Service de rattachement|Civilité d'exercice|Nom d'exercice|Prénom d'exercice|Catégorie profession|Libellé de catégorie profession|Code Profession|Libellé Profession|Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure BAL|Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION|L3COMPLEMENTDISTRIBUTION|L4NUMEROVOIE|L4COMPLEMENTNUMEROVOIE|NL4TYPEVOIE|L4LIBELLEVOIE|L5LIEUDITMENTION|L6LIGNEACHEMINEMENT|Code postal|Département|Pays";
const line = (cells: Record<number, string>) => Array.from({ length: 31 }, (_unused, index) => cells[index] ?? '').join('|');

describe('checkExtractionHeader', () => {
  it('accepts the ANS header, with a BOM, CR or typographic apostrophes', () => {
    expect(checkExtractionHeader(HEADER)).toEqual([]);
    expect(checkExtractionHeader('\uFEFF' + HEADER.replaceAll("'", '’') + '\r')).toEqual([]);
  });

  it('names what differs', () => {
    expect(checkExtractionHeader('Adresse;Nom')[0]).toMatchObject({ code: 'EXTRACTION_LAYOUT' });
    const renamed = HEADER.replace("Nom d'exercice", 'Nom');
    expect(checkExtractionHeader(renamed)).toEqual([expect.objectContaining({ code: 'EXTRACTION_HEADER', message: expect.stringContaining('Column 10') })]);
  });
});

describe('parseExtractionLine', () => {
  it('keeps a box held under an RPPS, with its exercise name and profession', () => {
    expect(parseExtractionLine(line({ 0: 'PER', 2: '8', 3: '10990000019', 9: 'LEFÈVRE', 10: 'Hélène', 13: '10' }))).toEqual({
      rpps: '10990000019', lastName: 'LEFÈVRE', firstName: 'Hélène', profession: '10',
    });
    expect(parseExtractionLine(line({ 2: '8', 3: '10990000019', 9: 'NGUYEN' }))).toEqual({ rpps: '10990000019', lastName: 'NGUYEN', firstName: null, profession: null });
  });

  it('skips ORG lines, ADELI holders and lines without a name, and flags short lines', () => {
    expect(parseExtractionLine(line({ 0: 'ORG', 5: '1', 6: '1130000016' }))).toBe('skip');
    expect(parseExtractionLine(line({ 0: 'PER', 2: '0', 3: '123456789', 9: 'MARTIN' }))).toBe('skip');
    expect(parseExtractionLine(line({ 0: 'PER', 2: '8', 3: '1099', 9: 'MARTIN' }))).toBe('skip');
    expect(parseExtractionLine(line({ 0: 'PER', 2: '8', 3: '10990000019' }))).toBe('skip');
    expect(parseExtractionLine('PER|a@b.mssante.fr|8|10990000019')).toBe('malformed');
  });
});

describe('readLines', () => {
  async function* pieces(text: string, size: number) {
    for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
  }
  const collect = async (chunks: AsyncIterable<string>) => {
    const lines: string[] = [];
    for await (const text of readLines(chunks)) lines.push(text);
    return lines;
  };

  it('splits lines across chunks and drops CRLF, LF and the BOM', async () => {
    const text = '\uFEFFHélène|LEFÈVRE\r\nÉloïse|CŒUR\n\nlast\r';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(await collect(pieces(text, size))).toEqual(['Hélène|LEFÈVRE', 'Éloïse|CŒUR', '', 'last']);
    }
  });
});

describe('TextChunker', () => {
  it('cuts UTF-8 bytes into text chunks after a line end, never inside a character', () => {
    const bytes = Buffer.from('Hélène|LEFÈVRE\nÉloïse|CŒUR\nNoël\n', 'utf8');
    for (const piece of [1, 2, 5, 64]) {
      const chunker = new TextChunker(8);
      const chunks: string[] = [];
      for (let start = 0; start < bytes.length; start += piece) chunks.push(...chunker.push(bytes.subarray(start, start + piece)));
      chunks.push(...chunker.end());
      expect(chunks.join('')).toBe(bytes.toString('utf8'));
      expect(chunks.slice(0, -1).every((chunk) => chunk.endsWith('\n'))).toBe(true);
      if (piece < bytes.length) expect(chunks.length).toBeGreaterThan(1);
    }
  });

  it('refuses bytes that are not UTF-8 text', () => {
    expect(() => new TextChunker(4).push(Buffer.from([0x41, 0xe9, 0x0a, 0x42, 0x0a]))).toThrow(NotUtf8TextError);
    expect(() => new TextChunker(1024).end()).not.toThrow();
    const withNul = new TextChunker(1024);
    withNul.push(Buffer.from('a\u0000b\n'));
    expect(() => withNul.end()).toThrow(NotUtf8TextError);
    expect(() => new TextChunker(4).push(Buffer.from('no line end in all this'))).toThrow(NotUtf8TextError);
    expect(new TextChunker(4).push(Buffer.from('line end later'))).toEqual([]);
  });
});
