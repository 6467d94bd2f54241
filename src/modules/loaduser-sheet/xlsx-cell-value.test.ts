import { toSheetCellValue } from './xlsx-cell-value';

describe('toSheetCellValue', () => {
  it('flattens the objects exceljs hands out into plain values', () => {
    const date = new Date(Date.UTC(2027, 11, 31));
    expect(toSheetCellValue({ richText: [{ text: 'Lef', font: { bold: true } }, { text: 'èvre' }] })).toBe('Lefèvre');
    expect(toSheetCellValue({ text: 'h.lefevre@ch-exemple.fr', hyperlink: 'mailto:h.lefevre@ch-exemple.fr' })).toBe(
      'h.lefevre@ch-exemple.fr',
    );
    expect(toSheetCellValue({ text: { richText: [{ text: 'lien' }] }, hyperlink: 'https://example.org' })).toBe('lien');
    expect(toSheetCellValue({ formula: 'A1&"x"', result: 'valeur' })).toBe('valeur');
    expect(toSheetCellValue({ sharedFormula: 'B2', result: 10990000019 })).toBe(10990000019);
    expect(toSheetCellValue({ formula: 'NOW()' })).toBeNull();
    expect(toSheetCellValue({ error: '#N/A' })).toBe('#N/A');
    expect(toSheetCellValue(date)).toBe(date);
    expect(toSheetCellValue(new Date(Number.NaN))).toBeNull();
    expect(toSheetCellValue(undefined)).toBeNull();
    expect(toSheetCellValue({ sharedString: 3 })).toBeNull();
  });
});
