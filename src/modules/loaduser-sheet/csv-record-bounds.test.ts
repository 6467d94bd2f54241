import { CsvRecordBounds, cutAtRecordEnds } from './csv-record-bounds';
import { DEFAULT_SHEET_LIMITS, type SheetLimits } from './sheet-limits';

const limits: SheetLimits = { ...DEFAULT_SHEET_LIMITS, maxColumns: 4, maxCellCharacters: 5 };

async function collect(pieces: string[], bounds = new CsvRecordBounds(';', limits)): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of cutAtRecordEnds(
    (async function* replay() {
      yield* pieces;
    })(),
    bounds,
  ))
    out.push(piece);
  return out;
}

describe('CsvRecordBounds', () => {
  it('says where the last whole record of a piece ends, quoted line breaks excepted', () => {
    const bounds = new CsvRecordBounds(';', limits);
    expect(bounds.scan('a;b\r\nc;"d\r\n')).toBe(5);
    expect(bounds.scan('e";f')).toBe(0);
    expect(bounds.scan('\rg')).toBe(1);
  });

  it('passes fast-csv whole records only, whatever the pieces', async () => {
    expect(await collect(['a;b\r', '\nc;"d\ne', '";f', '\ng'])).toEqual(['a;b\r', '\n', 'c;"d\ne";f\n', 'g']);
  });

  it('accepts a row at the column limit and a cell at the length limit, quotes doubled', async () => {
    expect(await collect(['a;b;c;d\n""""""""""""\n'])).toHaveLength(1);
  });

  it('refuses a row past the column limit as soon as it gets there, naming the row', async () => {
    await expect(collect(['h\r\n', 'x\r\n', ';'.repeat(4), ';'.repeat(1000)])).rejects.toMatchObject({
      code: 'TOO_MANY_COLUMNS',
      details: { row: 3, limit: 4, setting: 'BALISE_IMPORT_MAX_COLUMNS' },
    });
  });

  it('refuses a field past twice the cell limit plus its quotes, naming row and column, even unterminated', async () => {
    await expect(collect(['h\na;"', 'x'.repeat(12)])).rejects.toMatchObject({
      code: 'CELL_TOO_LONG',
      details: { row: 2, column: 'B' },
    });
    await expect(collect(['h\n', 'a;'.repeat(2) + 'y'.repeat(13)])).rejects.toMatchObject({
      code: 'CELL_TOO_LONG',
      details: { row: 2, column: 'C' },
    });
    expect(await collect(['"' + 'x'.repeat(10) + '"\n'])).toHaveLength(1);
  });

  it('counts a CRLF cut between two pieces as one line end', async () => {
    const bounds = new CsvRecordBounds(';', limits);
    bounds.scan('h\r');
    bounds.scan('\n;;;');
    expect(() => bounds.scan(';')).toThrow(expect.objectContaining({ details: expect.objectContaining({ row: 2 }) }));
  });
});
