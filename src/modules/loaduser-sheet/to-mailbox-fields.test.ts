import { LOADUSER_COLUMNS, type LoaduserFieldKey } from './loaduser-columns';
import { parseLoaduserRow } from './parse-loaduser-row';
import type { SheetCellValue } from './sheet-row';
import { hasRequiredFields, toMailboxFields } from './to-mailbox-fields';

function parseCells(cells: Partial<Record<LoaduserFieldKey, SheetCellValue>>) {
  return parseLoaduserRow({ rowNumber: 2, cells: LOADUSER_COLUMNS.map(({ field }) => cells[field] ?? null) }).fields;
}

describe('toMailboxFields', () => {
  it('maps an ORG row, with its responsible, leaving empty cells out', () => {
    const fields = parseCells({
      email: 'secretariat.cardio@ch-exemple.fr',
      lastName: 'Secrétariat',
      firstName: 'Cardiologie',
      type: 'ORG',
      paperless: 'N',
      responsibleLastName: 'Lefèvre',
      responsibleFirstName: 'Hélène',
      responsibleRpps: 10990000019,
      connectionAccounts: 'h.lefevre@ch-exemple.fr',
    });
    expect(hasRequiredFields(fields)).toBe(true);
    if (!hasRequiredFields(fields)) return;
    expect(toMailboxFields(fields)).toEqual({
      type: 'ORG',
      email: 'secretariat.cardio@ch-exemple.fr',
      lastName: 'Secrétariat',
      firstName: 'Cardiologie',
      paperless: false,
      responsible: { lastName: 'Lefèvre', firstName: 'Hélène', rpps: '10990000019' },
    });
  });

  it('builds no responsible when columns U to Y are empty', () => {
    const fields = parseCells({
      email: 'a@b.fr',
      lastName: 'A',
      firstName: 'B',
      type: 'PER',
      isTest: 'O',
      expiresAt: '31/12/2027',
    });
    expect(hasRequiredFields(fields) && toMailboxFields(fields)).toEqual({
      type: 'PER',
      email: 'a@b.fr',
      lastName: 'A',
      firstName: 'B',
      isTest: true,
      expiresAt: '2027-12-31',
    });
  });

  it('tells rows missing a required cell apart', () => {
    expect(hasRequiredFields(parseCells({ email: 'a@b.fr', lastName: 'A', firstName: 'B' }))).toBe(false);
  });
});
