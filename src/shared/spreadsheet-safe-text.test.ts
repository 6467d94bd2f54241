import { neutraliseFormula, restoreNeutralisedFormula } from './spreadsheet-safe-text';

describe('spreadsheet-safe text', () => {
  it.each([
    ['=1+1@ex.fr'],
    ['＝1+1'],
    ['@SUM(A1)'],
    ['＠SUM(A1)'],
    ['+cmd'],
    ['＋cmd'],
    ['-1+1'],
    ['－1+1'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['+33491000002'],
    ["'=1+1"],
    ["''@x"],
  ])('prefixes %j with an apostrophe, and reads it back unchanged', (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
    expect(restoreNeutralisedFormula(neutraliseFormula(text))).toBe(text);
  });

  it.each([['Dupont'], ['jean.dupont@ex.fr'], ['1+1'], ["l'Hôpital"], [''], [' =1'], ['a=1']])(
    'leaves %j alone',
    (text) => {
      expect(neutraliseFormula(text)).toBe(text);
      expect(restoreNeutralisedFormula(text)).toBe(text);
    },
  );
});
