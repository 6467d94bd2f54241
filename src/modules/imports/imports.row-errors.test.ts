import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createMailbox,
  createStructure,
  importRows,
  loaduserCsv,
  runImport,
  uniqueDomain,
  validRpps,
} from '../../../test/factories';

let test: TestApp;
let structureId: string;
let domain: string;
const otherStructureBox = { email: '' };

const email = (name: string) => `${name}@errors.example.fr`;
const per = (name: string, cells: Record<string, string> = {}) => ({
  A: email(name),
  B: 'Dupont',
  C: 'Jean',
  D: validRpps(),
  M: '10',
  S: 'PER',
  ...cells,
});
const org = (name: string, cells: Record<string, string> = {}) => ({
  A: email(name),
  B: 'Service',
  C: 'Structure',
  S: 'ORG',
  ...cells,
});
const med = (name: string, cells: Record<string, string> = {}) => ({
  A: email(name),
  B: 'Martin',
  C: 'Carole',
  S: 'MED',
  ...cells,
});

/** Each case is one row of the same file, in order (row = index + 2); `null` means the row is valid. */
type Case = [label: string, cells: () => Record<string, string>, expected: [column: string, code: string] | null];
const cases: Case[] = [
  ['a missing last name', () => per('no-name', { B: '' }), ['B', 'REQUIRED']],
  ['a malformed e-mail', () => med('x', { A: 'not-an-email' }), ['A', 'EMAIL_INVALID']],
  ['an RPPS failing its key', () => per('bad-rpps', { D: '10000013995' }), ['D', 'RPPS_KEY']],
  ['an ADELI of 4 digits', () => per('bad-adeli', { D: '', L: '1234' }), ['L', 'ADELI_FORMAT']],
  ['a PER box without RPPS nor ADELI', () => per('no-id', { D: '' }), ['D', 'NATIONAL_ID_REQUIRED']],
  ['an unknown profession', () => per('bad-profession', { M: '99' }), ['M', 'PROFESSION_UNKNOWN']],
  ['an unknown civility', () => per('bad-civility', { K: 'DR' }), ['K', 'CIVILITY_UNKNOWN']],
  ['a yes/no cell that is neither', () => per('bad-yes-no', { Q: 'peut-être' }), ['Q', 'YES_NO_INVALID']],
  ['an impossible date', () => per('bad-date', { P: '31/02/2027' }), ['P', 'DATE_INVALID']],
  ['an unknown box type', () => per('bad-type', { S: 'XYZ' }), ['S', 'TYPE_INVALID']],
  [
    'a responsible on a PER box',
    () => per('per-responsible', { U: 'Martin', V: 'Claire' }),
    ['U', 'RESPONSIBLE_FORBIDDEN'],
  ],
  ['a first row of a duplicated e-mail', () => per('twice'), null],
  ['the same e-mail again', () => per('twice'), ['A', 'DUPLICATE_EMAIL']],
  ['an e-mail held in another structure', () => per('x', { A: otherStructureBox.email }), ['A', 'EMAIL_TAKEN']],
  ['a type change', () => per('already-med'), ['S', 'TYPE_CHANGE_UNSUPPORTED']],
  ['an invalid local part', () => per('bad-local', { AC: 'jean dupont' }), ['AC', 'LOCAL_PART_INVALID']],
  [
    'a domain of no structure of ours',
    () => per('bad-domain', { AC: 'jean.bad-domain', AD: 'elsewhere.mssante.fr' }),
    ['AD', 'DOMAIN_NOT_OF_STRUCTURE'],
  ],
  ['a domain without local part', () => per('domain-only', { AD: domain }), ['AC', 'LOCAL_PART_REQUIRED']],
  ['an address held by another box', () => per('address-taken', { AC: 'taken.local' }), ['AC', 'ADDRESS_TAKEN']],
  ['a first row claiming an address', () => per('address-first', { AC: 'same.local' }), null],
  ['the same address again', () => per('address-second', { AC: 'same.local' }), ['AC', 'ADDRESS_DUPLICATE']],
  ['an address on a MED box', () => med('med-address', { AC: 'med.address' }), ['AC', 'CORRESPONDENCE_FORBIDDEN']],
  ['an unknown delegate', () => per('delegating-nobody', { AB: email('nobody') }), ['AB', 'DELEGATE_UNKNOWN']],
  ['a shared box as delegate', () => per('delegating-org', { AB: email('shared') }), ['AB', 'DELEGATE_NOT_NOMINATIVE']],
  ['a box delegating to itself', () => per('self', { AB: email('self') }), ['AB', 'SELF_DELEGATION']],
  ['a deactivated delegate', () => per('delegating-off', { AB: email('switched-off') }), ['AB', 'DELEGATE_INACTIVE']],
  ['delegates on an ORG box', () => org('org-delegates', { AB: email('holder') }), ['AB', 'NOT_A_NOMINATIVE_MAILBOX']],
  ['an unknown connection account', () => org('org-nobody', { AH: email('nobody') }), ['AH', 'ACCOUNT_UNKNOWN']],
  [
    'a shared box as connection account',
    () => org('org-org', { AH: email('shared') }),
    ['AH', 'ACCOUNT_NOT_NOMINATIVE'],
  ],
  [
    'connection accounts on a PER box',
    () => per('per-accounts', { AH: email('holder') }),
    ['AH', 'NOT_A_SHARED_MAILBOX'],
  ],
  [
    'a connection account whose row failed',
    () => org('org-failed-row', { AH: email('no-name') }),
    ['AH', 'ACCOUNT_ROW_FAILED'],
  ],
  ['a connection account created above in the file', () => org('org-above', { AH: email('twice') }), null],
];

let importId: string;
let done: Awaited<ReturnType<typeof runImport>>;
beforeAll(async () => {
  test = await createTestApp();
  domain = uniqueDomain();
  structureId = (await createStructure(test, { domains: [domain] })).id;
  const otherStructure = (await createStructure(test)).id;
  otherStructureBox.email = (await createMailbox(test, otherStructure)).email;
  await createMailbox(test, structureId, 'MED', { email: email('already-med') });
  const setup = await runImport(
    test,
    structureId,
    loaduserCsv([per('holder', { AC: 'taken.local' }), org('shared'), per('switched-off')]),
  );
  expect(setup.counts.created).toBe(3);
  const switchedOff = (await importRows(test, setup.id)).find((row) => row.email === email('switched-off'))!;
  await test.http.post(`/v1/mailboxes/${switchedOff.mailboxId}/deactivate`).set(bearer(test.operatorKey)).expect(200);

  done = await runImport(test, structureId, loaduserCsv(cases.map(([, cells]) => cells())), { onError: 'skip' });
  importId = done.id;
});
afterAll(() => test.close());

describe('row errors of a loaduser import', () => {
  it('writes the valid rows and counts the failed ones (onError=skip)', () => {
    const failing = cases.filter(([, , expected]) => expected !== null).length;
    expect(done).toMatchObject({
      status: 'succeeded',
      counts: { created: cases.length - failing, failed: failing, updated: 0, unchanged: 0 },
    });
  });

  it.each(cases.map((entry, index) => [entry[0], index + 2, entry[2]] as const))(
    'reports %s on row %i',
    async (_label, rowNumber, expected) => {
      const row = (await importRows(test, importId)).find((result) => result.rowNumber === rowNumber)!;
      if (expected === null) {
        expect(row).toMatchObject({ outcome: 'created', errors: [] });
        return;
      }
      const [column, code] = expected;
      expect(row.outcome).toBe('failed');
      expect(row.mailboxId).toBeNull();
      expect(row.errors).toContainEqual({
        row: rowNumber,
        column,
        header: expect.any(String),
        code,
        message: expect.any(String),
      });
    },
  );

  it('names the template header of the column and filters by outcome', async () => {
    const failed = await importRows(test, importId, 'failed');
    expect(failed.every((row) => row.outcome === 'failed')).toBe(true);
    const rppsError = failed.flatMap((row) => row.errors).find((error) => error.code === 'RPPS_KEY');
    expect(rppsError).toMatchObject({ column: 'D', header: 'RPPS', message: expect.stringMatching(/check digit/) });
  });
});

describe('quotas', () => {
  it("fails the rows that would exceed the structure's quota, in file order", async () => {
    const limited = (await createStructure(test, { domains: [uniqueDomain()], quotas: { personal: 1 } })).id;
    const result = await runImport(
      test,
      limited,
      loaduserCsv([per('quota-1', { AC: 'quota.one' }), per('quota-2', { AC: 'quota.two' }), per('quota-3')]),
      { onError: 'skip' },
    );
    expect(result.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 1 });
    const rows = await importRows(test, result.id, 'failed');
    expect(rows).toEqual([
      expect.objectContaining({
        rowNumber: 3,
        errors: [expect.objectContaining({ column: 'AC', code: 'QUOTA_EXCEEDED' })],
      }),
    ]);
  });
});
