import { ExtractionReader, NotTheExtractionError } from './extraction-reader';

const HEADER =
  "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|Identification nationale PP|Type identifiant structure|Identification Structure|Service de rattachement|Civilité d'exercice|Nom d'exercice|Prénom d'exercice|Catégorie profession|Libellé de catégorie profession|Code Profession|Libellé Profession|Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure BAL|Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION|L3COMPLEMENTDISTRIBUTION|L4NUMEROVOIE|L4COMPLEMENTNUMEROVOIE|NL4TYPEVOIE|L4LIBELLEVOIE|L5LIEUDITMENTION|L6LIGNEACHEMINEMENT|Code postal|Département|Pays";
const line = (cells: Record<number, string>) =>
  Array.from({ length: 31 }, (_unused, index) => cells[index] ?? '').join('|');

/** Feeds the bytes in pieces of `pieceSize`; answers the staged lines and the counts. */
function read(content: string | Buffer, pieceSize = 64 * 1024) {
  const bytes = Buffer.from(content);
  const reader = new ExtractionReader();
  const staged: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += pieceSize)
    staged.push(reader.push(bytes.subarray(start, start + pieceSize)));
  staged.push(reader.end());
  const text = Buffer.concat(staged).toString('utf8');
  return {
    rows: text === '' ? [] : text.slice(0, -1).split('\n'),
    counts: reader.counts,
    endsWithLineEnd: text === '' || text.endsWith('\n'),
  };
}

const refusal = (content: string | Buffer) => {
  try {
    read(content);
  } catch (error) {
    if (error instanceof NotTheExtractionError) return error.details[0];
    throw error;
  }
  throw new Error('not refused');
};

describe('ExtractionReader', () => {
  it('keeps a box held under an RPPS: RPPS, exercise name, first name and profession, tab-separated', () => {
    const file =
      [
        HEADER,
        line({ 0: 'PER', 2: '8', 3: '10990000019', 9: 'LEFÈVRE', 10: 'Hélène', 13: '10' }),
        line({ 2: '8', 3: '10990000027', 9: 'NGUYEN' }),
      ].join('\n') + '\n';
    expect(read(file)).toEqual({
      rows: ['10990000019\tLEFÈVRE\tHélène\t10', '10990000027\tNGUYEN\t\t'],
      counts: { linesRead: 2, rows: 2, malformedLines: 0 },
      endsWithLineEnd: true,
    });
  });

  it('skips ORG lines, ADELI holders and lines without a name, and counts short lines as malformed', () => {
    const file = [
      HEADER,
      line({ 0: 'ORG', 5: '1', 6: '1130000016' }),
      line({ 0: 'PER', 2: '0', 3: '123456789', 9: 'MARTIN' }),
      line({ 0: 'PER', 2: '8', 3: '1099', 9: 'MARTIN' }),
      line({ 0: 'PER', 2: '8', 3: '1099000001x', 9: 'MARTIN' }),
      line({ 0: 'PER', 2: '8', 3: '10990000019' }),
      'PER|a@b.mssante.fr|8|10990000019',
    ].join('\n');
    expect(read(file)).toMatchObject({ rows: [], counts: { linesRead: 6, rows: 0, malformedLines: 1 } });
  });

  it('trims cells as String.prototype.trim does, Unicode spaces included, and keeps no control character', () => {
    const file = [
      HEADER,
      line({ 2: ' 8 ', 3: '\u00a010990000019\t', 9: '\u3000DUPONT\u00a0', 10: 'José ', 13: ' 10' }),
      line({ 2: '8', 3: '10990000027', 9: 'DU\tPO\u0001NT', 10: '\u00a0', 13: 'à' }),
    ].join('\n');
    expect(read(file).rows).toEqual(['10990000019\tDUPONT\tJosé\t10', '10990000027\tDU PO NT\t\tà']);
  });

  it('reads lines across pieces of any size: CRLF or LF, a BOM, blank lines, no line end at the end', () => {
    const file =
      '\uFEFF' +
      [
        HEADER,
        line({ 2: '8', 3: '10990000019', 9: 'CŒUR', 10: 'Éloïse' }),
        '',
        '  ',
        line({ 2: '8', 3: '10990000027', 9: 'NOËL' }),
      ].join('\r\n');
    for (const pieceSize of [1, 2, 3, 7, 100, 64 * 1024]) {
      expect(read(file, pieceSize)).toEqual({
        rows: ['10990000019\tCŒUR\tÉloïse\t', '10990000027\tNOËL\t\t'],
        counts: { linesRead: 2, rows: 2, malformedLines: 0 },
        endsWithLineEnd: true,
      });
    }
  });

  it.each([
    ['an empty file', '', 'FILE_EMPTY'],
    ['another layout', 'Adresse mail;Nom;Prénom\na@b.fr;Dupont;Jean\n', 'EXTRACTION_LAYOUT'],
    ['a first line that never ends', 'x'.repeat(20_000), 'EXTRACTION_LAYOUT'],
    [
      'bytes that are not UTF-8',
      Buffer.concat([Buffer.from(HEADER + '\n'), Buffer.from('PER|h\xe9l\xe8ne|8\n', 'latin1')]),
      'FILE_NOT_UTF8',
    ],
    ['a NUL character', `${HEADER}\nPER|\u0000|8\n`, 'FILE_NOT_UTF8'],
    ['a line that never ends', `${HEADER}\n${'x'.repeat(1_100_000)}`, 'FILE_NOT_UTF8'],
  ])('refuses %s', (_label, content: string | Buffer, code) => {
    expect(refusal(content)).toMatchObject({ field: 'file', code });
  });

  it("names the header's wrong column before looking at the bytes after it", () => {
    const file = Buffer.concat([
      Buffer.from(HEADER.replace("Nom d'exercice", 'Nom') + '\n'),
      Buffer.from('PER|h\xe9l\xe8ne|8\n', 'latin1'),
    ]);
    expect(refusal(file)).toMatchObject({ code: 'EXTRACTION_HEADER', message: expect.stringContaining('Column 10') });
  });
});
