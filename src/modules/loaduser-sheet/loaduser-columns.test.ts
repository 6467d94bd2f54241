import { LOADUSER_COLUMNS, normaliseHeader, TEMPLATE_VERSION, toColumnLetter } from './loaduser-columns';

describe('loaduser columns', () => {
  it('lists the 34 columns of template version 2, A to AH', () => {
    expect(TEMPLATE_VERSION).toBe(2);
    expect(LOADUSER_COLUMNS).toHaveLength(34);
    expect(LOADUSER_COLUMNS.at(-1)).toMatchObject({
      letter: 'AH',
      index: 33,
      header: 'Comptes de connexion',
      field: 'connectionAccounts',
    });
    const fixedByTheDeck = Object.fromEntries(
      LOADUSER_COLUMNS.filter(({ letter }) =>
        ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'S', 'AC', 'AH'].includes(letter),
      ).map(({ letter, header }) => [letter, header]),
    );
    expect(fixedByTheDeck).toEqual({
      A: 'Adresse mail',
      B: 'Nom',
      C: 'Prénom',
      D: 'RPPS',
      E: 'Adresse',
      F: 'Raison sociale',
      G: 'Service',
      S: 'Type de BAL',
      AC: 'MSSanté adresse',
      AH: 'Comptes de connexion',
    });
  });

  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 33, 51, 52, 701, 702].map(toColumnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AH',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('matches headers trimmed, case- and accent-insensitively', () => {
    expect(normaliseHeader('  PRENOM ')).toBe(normaliseHeader('Prénom'));
    expect(normaliseHeader('Date de\u00a0 péremption')).toBe('date de peremption');
    expect(normaliseHeader('Délégués')).toBe('delegues');
  });
});
