import { LOADUSER_COLUMNS, type LoaduserFieldKey } from './loaduser-columns';
import { parseLoaduserRow } from './parse-loaduser-row';
import type { SheetCellValue } from './sheet-row';

const MINIMAL: Partial<Record<LoaduserFieldKey, SheetCellValue>> = {
  email: 'A.Person@CH-Exemple.fr',
  lastName: 'Person',
  firstName: 'Anne',
  type: 'per',
};

function rowOf(
  cells: Partial<Record<LoaduserFieldKey, SheetCellValue>>,
  rowNumber = 9,
): { rowNumber: number; cells: SheetCellValue[] } {
  return { rowNumber, cells: LOADUSER_COLUMNS.map(({ field }) => cells[field] ?? null) };
}

describe('parseLoaduserRow: values', () => {
  it('trims text, lowercases e-mails, uppercases the type and leaves empty cells out', () => {
    const { fields, issues } = parseLoaduserRow(
      rowOf({ ...MINIMAL, lastName: '  Person ', service: '   ', city: null }),
    );
    expect(issues).toEqual([]);
    expect(fields).toEqual({ email: 'a.person@ch-exemple.fr', lastName: 'Person', firstName: 'Anne', type: 'PER' });
  });

  it('turns identifiers that spreadsheets made numbers back into digits', () => {
    const { fields } = parseLoaduserRow(
      rowOf({
        ...MINIMAL,
        rpps: 10990000019,
        adeli: 11234567,
        responsibleRpps: '10990000027.0',
        responsibleAdeli: '1.12345678E+8',
      }),
    );
    expect(fields).toMatchObject({
      rpps: '10990000019',
      adeli: '011234567',
      responsibleRpps: '10990000027',
      responsibleAdeli: '112345678',
    });
    expect(parseLoaduserRow(rowOf({ ...MINIMAL, rpps: '1,0999E+10', adeli: '123' })).fields).toMatchObject({
      rpps: '1,0999E+10',
      adeli: '123',
    });
  });

  it('gives phone numbers and postal codes back what a spreadsheet stripped', () => {
    const { fields } = parseLoaduserRow(
      rowOf({ ...MINIMAL, phone: 33491000001, mailboxPhone: 491000001, postalCode: 1000 }),
    );
    expect(fields).toMatchObject({ phone: '+33491000001', mailboxPhone: '0491000001', postalCode: '01000' });
  });

  it.each([
    ['O', true],
    ['oui', true],
    ['Y', true],
    ['Yes', true],
    [1, true],
    ['1', true],
    [true, true],
    ['TRUE', true],
    ['x', true],
    ['N', false],
    ['Non', false],
    ['n', false],
    ['no', false],
    [0, false],
    ['0', false],
    [false, false],
    ['false', false],
    [null, undefined],
    ['  ', undefined],
  ])('reads the yes/no cell %p as %p', (cell, expected) => {
    const { fields, issues } = parseLoaduserRow(rowOf({ ...MINIMAL, isTest: cell }));
    expect(issues).toEqual([]);
    expect(fields.isTest).toBe(expected);
  });

  it.each([
    ['31/12/2027', '2027-12-31'],
    ['1/2/2027', '2027-02-01'],
    ['2027-12-31', '2027-12-31'],
    [new Date(Date.UTC(2027, 11, 31)), '2027-12-31'],
    [46752, '2027-12-31'],
  ])('reads the date %p as %p', (cell, expected) => {
    expect(parseLoaduserRow(rowOf({ ...MINIMAL, expiresAt: cell })).fields.expiresAt).toBe(expected);
  });

  it('splits delegates and connection accounts into lowercase e-mails', () => {
    const { fields } = parseLoaduserRow(
      rowOf({ ...MINIMAL, delegates: 'A@b.fr;c@D.fr', connectionAccounts: ' a@b.fr ; c@d.fr;;a@b.fr' }),
    );
    expect(fields).toMatchObject({ delegates: ['a@b.fr', 'c@d.fr'], connectionAccounts: ['a@b.fr', 'c@d.fr'] });
  });

  it('splits a whole MSSanté address typed in AC, column AD winning', () => {
    expect(
      parseLoaduserRow(rowOf({ ...MINIMAL, correspondenceLocalPart: 'Anne.Person@ch.mssante.fr' })).fields,
    ).toMatchObject({
      correspondenceLocalPart: 'anne.person',
      correspondenceDomain: 'ch.mssante.fr',
    });
    expect(
      parseLoaduserRow(
        rowOf({ ...MINIMAL, correspondenceLocalPart: 'anne@ch.mssante.fr', correspondenceDomain: 'other.mssante.fr' }),
      ).fields,
    ).toMatchObject({
      correspondenceDomain: 'other.mssante.fr',
    });
  });

  it('reads neutralised formulas back and ignores the export-only columns', () => {
    const { fields } = parseLoaduserRow(
      rowOf({ ...MINIMAL, phone: "'+33491000001", description: "'=cmd", city: "''=x", status: 'valid', id: 'x1' }),
    );
    expect(fields).toMatchObject({ phone: '+33491000001', description: '=cmd', city: "'=x" });
    expect(fields).not.toHaveProperty('status');
    expect(fields).not.toHaveProperty('id');
  });
});

describe('parseLoaduserRow: issues name the row and the column', () => {
  it.each([
    ['isTest', 'peut-être', 'Q', 'Compte de test', 'YES_NO_INVALID'],
    ['directoryVisible', 2, 'R', 'Visible annuaire', 'YES_NO_INVALID'],
    ['paperless', 'si', 'Z', 'Dématérialisation', 'YES_NO_INVALID'],
    ['expiresAt', '31/02/2027', 'P', 'Date de péremption', 'DATE_INVALID'],
    ['expiresAt', 'demain', 'P', 'Date de péremption', 'DATE_INVALID'],
    ['expiresAt', '12/31/27', 'P', 'Date de péremption', 'DATE_INVALID'],
    ['type', 'BAL', 'S', 'Type de BAL', 'TYPE_INVALID'],
  ] as const)('%s = %p is %s', (field, cell, column, header, code) => {
    const { issues } = parseLoaduserRow(rowOf({ ...MINIMAL, [field]: cell }, 12));
    expect(issues).toEqual([{ rowNumber: 12, column, header, code, message: expect.any(String) }]);
    expect(issues[0]?.message).toContain(String(cell));
  });

  it('reports every missing required cell of a row at once', () => {
    const { issues } = parseLoaduserRow(rowOf({ service: 'Urgences' }, 4));
    expect(issues.map(({ rowNumber, column, header, code }) => ({ rowNumber, column, header, code }))).toEqual([
      { rowNumber: 4, column: 'A', header: 'Adresse mail', code: 'REQUIRED' },
      { rowNumber: 4, column: 'B', header: 'Nom', code: 'REQUIRED' },
      { rowNumber: 4, column: 'C', header: 'Prénom', code: 'REQUIRED' },
      { rowNumber: 4, column: 'S', header: 'Type de BAL', code: 'REQUIRED' },
    ]);
  });

  it('requires the responsible names once any responsible column is filled', () => {
    const { issues } = parseLoaduserRow(rowOf({ ...MINIMAL, type: 'ORG', responsibleRpps: '10990000019' }));
    expect(issues.map(({ column, code }) => `${column} ${code}`)).toEqual(['U REQUIRED', 'V REQUIRED']);
  });
});

describe('parseLoaduserRow: #VIDE and cells outside the template', () => {
  it('reads #VIDE (trimmed, any case) as null where it clears, and refuses it in a required column', () => {
    const { fields, issues } = parseLoaduserRow(
      rowOf({ ...MINIMAL, lastName: '#VIDE', city: ' #vide ', delegates: '#VIDE', status: '#VIDE' }),
    );
    expect(fields).toMatchObject({ city: null, delegates: null });
    expect(fields).not.toHaveProperty('lastName');
    expect(fields).not.toHaveProperty('status');
    expect(issues).toEqual([expect.objectContaining({ column: 'B', code: 'CLEAR_REFUSED' })]);
  });

  it("reads a protected '#VIDE back as the text #VIDE", () => {
    expect(parseLoaduserRow(rowOf({ ...MINIMAL, description: "'#VIDE" })).fields.description).toBe('#VIDE');
  });

  it('reports a filled cell past the width the header allows, and not a blank one', () => {
    const row = rowOf(MINIMAL);
    row.cells.push('  ', 'oubli');
    expect(parseLoaduserRow(row).issues).toEqual([
      expect.objectContaining({ rowNumber: 9, column: 'AJ', header: '(hors modèle)', code: 'OUTSIDE_TEMPLATE' }),
    ]);
    expect(parseLoaduserRow(row, 37).issues).toEqual([]);
  });
});
