import {
  checkAdeli,
  checkCivility,
  checkDescription,
  checkEmail,
  checkExpiryDate,
  checkMailboxFields,
  checkNames,
  checkNationalIdentifiers,
  checkProfession,
  checkProfessionCategory,
  checkResponsible,
  checkRpps,
  isCalendarDate,
} from './mailbox-rules';
import type { FieldIssue, MailboxFields, MailboxType } from '../../domain/mailbox-vocabulary';

const VALID_RPPS = '10000013994';
const WRONG_KEY_RPPS = '10003456789';

function personalBox(overrides: Partial<MailboxFields> = {}): MailboxFields {
  return {
    type: 'PER',
    email: 'jeanne.martin@chu-sud.fr',
    lastName: 'Martin',
    firstName: 'Jeanne',
    rpps: VALID_RPPS,
    ...overrides,
  };
}

function sharedBox(overrides: Partial<MailboxFields> = {}): MailboxFields {
  return {
    type: 'ORG',
    email: 'secretariat.cardio@chu-sud.fr',
    lastName: 'Secrétariat',
    firstName: 'Cardiologie',
    responsible: { lastName: 'Durand', firstName: 'Paul', profession: '10', rpps: '10006122583' },
    description: 'Appointments and letters of the cardiology department',
    ...overrides,
  };
}

function codesOf(issues: FieldIssue[]): string[] {
  return issues.map((found) => `${found.field}:${found.code}`);
}

describe('checkMailboxFields', () => {
  it.each<[string, MailboxFields]>([
    ['a PER box with an RPPS', personalBox()],
    ['a PER box with an ADELI only', personalBox({ rpps: null, adeli: '751234567' })],
    ['a MED box without identifier', personalBox({ type: 'MED', rpps: undefined })],
    ['an INT box without identifier', personalBox({ type: 'INT', rpps: null, expiresAt: '2026-06-30' })],
    ['an ORG box', sharedBox()],
    ['an APP box', sharedBox({ type: 'APP', email: 'noreply@labo.fr' })],
    [
      'a PER box with every optional field',
      personalBox({ profession: '93', professionCategory: 'F', civility: 'MME', expiresAt: '2028-02-29' }),
    ],
  ])('finds nothing wrong with %s', (_label, fields) => {
    expect(checkMailboxFields(fields)).toEqual([]);
  });

  it('gathers every issue at once, each with a field, a code and a message', () => {
    const issues = checkMailboxFields(
      personalBox({ email: 'not-an-address', lastName: ' ', rpps: '123', civility: 'Dr', description: 'Mine' }),
    );
    expect(codesOf(issues)).toEqual([
      'email:EMAIL_INVALID',
      'lastName:LAST_NAME_REQUIRED',
      'rpps:RPPS_FORMAT',
      'civility:CIVILITY_UNKNOWN',
      'description:DESCRIPTION_FORBIDDEN',
    ]);
    for (const found of issues) expect(found.message.length).toBeGreaterThan(0);
  });
});

describe('checkEmail', () => {
  it('accepts a valid address', () => {
    expect(checkEmail('jeanne.martin@chu-sud.fr')).toEqual([]);
  });

  it('refuses an invalid one', () => {
    expect(codesOf(checkEmail('jeanne.martin@'))).toEqual(['email:EMAIL_INVALID']);
  });
});

describe('checkNames', () => {
  it('accepts non-blank names', () => {
    expect(checkNames({ lastName: 'Martin', firstName: 'Jeanne' })).toEqual([]);
  });

  it('refuses blank names, under the given prefix', () => {
    expect(codesOf(checkNames({ lastName: '', firstName: '  ' }, 'responsible.'))).toEqual([
      'responsible.lastName:LAST_NAME_REQUIRED',
      'responsible.firstName:FIRST_NAME_REQUIRED',
    ]);
  });
});

describe('checkRpps', () => {
  it.each([VALID_RPPS, null, undefined, ''])('accepts %j', (rpps) => {
    expect(checkRpps(rpps, false)).toEqual([]);
  });

  it.each(['1000001399', '100000139941', '1000001399A'])('refuses %s, not 11 digits', (rpps) => {
    expect(codesOf(checkRpps(rpps, false))).toEqual(['rpps:RPPS_FORMAT']);
  });

  it('refuses a wrong check digit on a real account', () => {
    expect(codesOf(checkRpps(WRONG_KEY_RPPS, false))).toEqual(['rpps:RPPS_KEY']);
  });

  it('accepts a wrong check digit on a test account', () => {
    expect(checkRpps(WRONG_KEY_RPPS, true)).toEqual([]);
  });

  it('still refuses a malformed RPPS on a test account', () => {
    expect(codesOf(checkRpps('123', true))).toEqual(['rpps:RPPS_FORMAT']);
  });
});

describe('checkAdeli', () => {
  it.each(['751234567', null, undefined])('accepts %j', (adeli) => {
    expect(checkAdeli(adeli)).toEqual([]);
  });

  it.each(['75123456', '75123456X'])('refuses %s', (adeli) => {
    expect(codesOf(checkAdeli(adeli))).toEqual(['adeli:ADELI_FORMAT']);
  });
});

describe('checkNationalIdentifiers', () => {
  it('requires an RPPS or an ADELI on a PER box', () => {
    expect(codesOf(checkNationalIdentifiers(personalBox({ rpps: null, adeli: ' ' })))).toEqual([
      'rpps:NATIONAL_ID_REQUIRED',
    ]);
  });

  it('accepts a PER box with an ADELI only', () => {
    expect(checkNationalIdentifiers(personalBox({ rpps: undefined, adeli: '751234567' }))).toEqual([]);
  });

  it.each<MailboxType>(['MED', 'INT'])('requires nothing on a %s box', (type) => {
    expect(checkNationalIdentifiers(personalBox({ type, rpps: null }))).toEqual([]);
  });

  it('checks an RPPS given on an INT box, which gets its number later', () => {
    expect(codesOf(checkNationalIdentifiers(personalBox({ type: 'INT', rpps: WRONG_KEY_RPPS })))).toEqual([
      'rpps:RPPS_KEY',
    ]);
  });

  it('refuses an RPPS or an ADELI on a MED box, a login "Sans n° RPPS ou ADELI"', () => {
    expect(
      codesOf(checkNationalIdentifiers(personalBox({ type: 'MED', rpps: VALID_RPPS, adeli: '751234567' }))),
    ).toEqual(['rpps:NATIONAL_ID_FORBIDDEN', 'adeli:NATIONAL_ID_FORBIDDEN']);
  });

  it('accepts a wrong-key RPPS on a PER test account', () => {
    expect(checkNationalIdentifiers(personalBox({ rpps: WRONG_KEY_RPPS, isTest: true }))).toEqual([]);
  });

  it('checks both identifiers when both are given', () => {
    expect(codesOf(checkNationalIdentifiers(personalBox({ rpps: '1', adeli: '2' })))).toEqual([
      'rpps:RPPS_FORMAT',
      'adeli:ADELI_FORMAT',
    ]);
  });

  it.each<MailboxType>(['ORG', 'APP'])('refuses an RPPS or ADELI of its own on a %s box', (type) => {
    expect(codesOf(checkNationalIdentifiers(sharedBox({ type, rpps: VALID_RPPS, adeli: '751234567' })))).toEqual([
      'rpps:NATIONAL_ID_FORBIDDEN',
      'adeli:NATIONAL_ID_FORBIDDEN',
    ]);
  });

  it('accepts an ORG box without identifier of its own', () => {
    expect(checkNationalIdentifiers(sharedBox({ rpps: null, adeli: '' }))).toEqual([]);
  });
});

describe('checkResponsible', () => {
  it.each<MailboxType>(['ORG', 'APP'])('stores a %s box without responsible (the report flags it)', (type) => {
    expect(checkResponsible(sharedBox({ type, responsible: null }))).toEqual([]);
    expect(checkResponsible(sharedBox({ type, responsible: undefined }))).toEqual([]);
  });

  it('accepts a responsible without profession nor identifier', () => {
    expect(checkResponsible(sharedBox({ responsible: { lastName: 'Durand', firstName: 'Paul' } }))).toEqual([]);
  });

  it('checks the responsible like a person, on nested fields', () => {
    const responsible = { lastName: ' ', firstName: 'Paul', profession: '11', rpps: WRONG_KEY_RPPS, adeli: '12' };
    expect(codesOf(checkResponsible(sharedBox({ responsible })))).toEqual([
      'responsible.lastName:LAST_NAME_REQUIRED',
      'responsible.profession:PROFESSION_UNKNOWN',
      'responsible.rpps:RPPS_KEY',
      'responsible.adeli:ADELI_FORMAT',
    ]);
  });

  it('accepts a wrong-key responsible RPPS on a test account', () => {
    const responsible = { lastName: 'Durand', firstName: 'Paul', rpps: WRONG_KEY_RPPS };
    expect(checkResponsible(sharedBox({ responsible, isTest: true }))).toEqual([]);
  });

  it.each<MailboxType>(['PER', 'MED', 'INT'])('refuses a responsible on a %s box', (type) => {
    const responsible = { lastName: 'Durand', firstName: 'Paul' };
    expect(codesOf(checkResponsible(personalBox({ type, responsible })))).toEqual([
      'responsible:RESPONSIBLE_FORBIDDEN',
    ]);
  });

  it('accepts a personal box without responsible', () => {
    expect(checkResponsible(personalBox({ responsible: null }))).toEqual([]);
  });
});

describe('checkDescription', () => {
  it.each<MailboxType>(['ORG', 'APP'])('stores a %s box without description (the report flags it)', (type) => {
    expect(checkDescription(sharedBox({ type, description: '  ' }))).toEqual([]);
  });

  it('accepts a described ORG box', () => {
    expect(checkDescription(sharedBox())).toEqual([]);
  });

  it.each<MailboxType>(['PER', 'MED', 'INT'])('refuses a description on a %s box', (type) => {
    expect(codesOf(checkDescription(personalBox({ type, description: 'My box' })))).toEqual([
      'description:DESCRIPTION_FORBIDDEN',
    ]);
  });

  it('accepts a personal box without description', () => {
    expect(checkDescription(personalBox({ description: null }))).toEqual([]);
  });
});

describe('checkProfession', () => {
  it.each(['10', '98', '35', '93', null, undefined])('accepts %j (active, deprecated or absent)', (profession) => {
    expect(checkProfession(profession)).toEqual([]);
  });

  it.each(['11', '99', 'MED'])('refuses %s', (profession) => {
    expect(codesOf(checkProfession(profession))).toEqual(['profession:PROFESSION_UNKNOWN']);
  });
});

describe('checkProfessionCategory', () => {
  it.each(['C', 'E', 'M', 'F', null])('accepts %j', (category) => {
    expect(checkProfessionCategory(category)).toEqual([]);
  });

  it.each(['X', 'c'])('refuses %s', (category) => {
    expect(codesOf(checkProfessionCategory(category))).toEqual(['professionCategory:PROFESSION_CATEGORY_UNKNOWN']);
  });
});

describe('checkCivility', () => {
  it.each(['M', 'MME', null, undefined])('accepts %j', (civility) => {
    expect(checkCivility(civility)).toEqual([]);
  });

  it.each(['Mme', 'DR', 'MLLE'])('refuses %s', (civility) => {
    expect(codesOf(checkCivility(civility))).toEqual(['civility:CIVILITY_UNKNOWN']);
  });
});

describe('checkExpiryDate', () => {
  it.each(['2026-12-31', '2024-02-29', '2000-02-29', null, undefined])('accepts %j', (expiresAt) => {
    expect(checkExpiryDate(expiresAt)).toEqual([]);
  });

  it.each([
    ['2025-02-29', 'no 29 February in 2025'],
    ['1900-02-29', 'no 29 February in 1900'],
    ['2025-04-31', 'April has 30 days'],
    ['2025-13-01', 'month 13'],
    ['2025-00-10', 'month 0'],
    ['2025-01-00', 'day 0'],
    ['31/12/2026', 'the French spreadsheet form'],
    ['2026-1-5', 'no zero padding'],
    ['2026-12-31T00:00:00Z', 'a timestamp'],
  ])('refuses %s (%s)', (expiresAt) => {
    expect(codesOf(checkExpiryDate(expiresAt))).toEqual(['expiresAt:DATE_INVALID']);
  });

  it('exposes the calendar test on its own', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
  });
});
