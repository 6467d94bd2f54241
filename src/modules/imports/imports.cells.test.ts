import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { bytesOf, downloadFile, readCsvRecords, readXlsxRecords } from '../../../test/downloads';
import { createMailbox, createStructure, importRows, runImport, validRpps } from '../../../test/factories';
import { fileNameOf, loaduserFile, type LoaduserTestFormat } from '../../../test/loaduser-files';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const FORMATS: LoaduserTestFormat[] = ['csv', 'xlsx'];

async function importFile(structureId: string, format: LoaduserTestFormat, rows: Record<string, string>[]) {
  const file = await loaduserFile(format, rows);
  return runImport(test, structureId, file, { onError: 'skip' }, fileNameOf(format));
}

const getBox = async (id: string) => (await test.http.get(`/v1/mailboxes/${id}`).set(asOperator()).expect(200)).body;

describe.each(FORMATS)('cells outside the template (%s)', (format) => {
  let structureId: string;
  beforeAll(async () => {
    structureId = (await createStructure(test)).id;
  });
  const per = (name: string, cells: Record<string, string> = {}) => ({
    A: `${name}.${format}@cells.example.fr`,
    B: 'Dupont',
    C: 'Jean',
    D: validRpps(),
    S: 'PER',
    ...cells,
  });
  const org = (name: string, cells: Record<string, string> = {}) => ({
    A: `${name}.${format}@cells.example.fr`,
    B: 'Service',
    C: 'Structure',
    S: 'ORG',
    ...cells,
  });

  it('fails a row with a value past column AH, naming the row, the column and its lack of header', async () => {
    const done = await importFile(structureId, format, [
      per('inside'),
      per('past-ah', { AI: 'oubli' }),
      per('far', { BA: 'x' }),
    ]);
    expect(done.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 2 });
    const failed = await importRows(test, done.id, 'failed');
    expect(failed.map((row) => row.errors)).toEqual([
      [
        {
          row: 3,
          column: 'AI',
          header: '(hors modèle)',
          code: 'OUTSIDE_TEMPLATE',
          message: expect.stringMatching(/AH/),
        },
      ],
      [{ row: 4, column: 'BA', header: '(hors modèle)', code: 'OUTSIDE_TEMPLATE', message: expect.any(String) }],
    ]);
  });

  it.each([
    ['a comma between two addresses', (a: string, b: string) => `${a},${b}`],
    ['a name instead of an address', () => 'Jean Dupont'],
    ['separators only', () => ';;'],
  ])('fails a column AH cell with %s, on that cell', async (_label, cell) => {
    const nominative = per(`account-${_label.length}`);
    const done = await importFile(structureId, format, [
      nominative,
      org(`shared-${_label.length}`, { AH: cell(nominative.A, nominative.A) }),
    ]);
    expect(done.counts).toMatchObject({ created: 1, failed: 1 });
    const [failed] = await importRows(test, done.id, 'failed');
    expect(failed!.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'AH', header: 'Comptes de connexion', code: 'ADDRESS_LIST_INVALID' }),
    ]);
  });

  it('reads `;`-separated addresses in AH, forgiving spaces around the separators', async () => {
    const first = per('first-login');
    const second = per('second-login');
    const done = await importFile(structureId, format, [
      first,
      second,
      org('opened', { AH: `${first.A} ; ${second.A};` }),
    ]);
    expect(done.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 0 });
  });
});

describe.each(FORMATS)('clearing a field with #VIDE (%s)', (format) => {
  let structureId: string;
  let domain: string;
  beforeAll(async () => {
    domain = `vide-${format}.mssante.fr`;
    structureId = (await createStructure(test, { domains: [domain] })).id;
  });
  const email = (name: string) => `${name}.${format}@vide.example.fr`;

  it('clears every clearable column of an updated box, links and responsible included, audited', async () => {
    const login = { A: email('login'), B: 'Martin', C: 'Carole', S: 'MED' };
    const full = {
      A: email('full'),
      B: 'Durand',
      C: 'Anne',
      D: validRpps(),
      E: '1 rue de la Paix',
      F: 'CH Exemple',
      G: 'Cardiologie',
      H: '13001',
      I: 'Marseille',
      J: '0491000001',
      K: 'MME',
      L: '751234567',
      M: '10',
      N: 'C',
      O: 'SM54',
      P: '31/12/2027',
      R: 'O',
      Z: 'O',
      AA: '0491000002',
      AB: email('login'),
    };
    const shared = {
      A: email('shared'),
      B: 'Service BE',
      C: 'CH Exemple',
      S: 'ORG',
      T: 'Bureau des entrées',
      U: 'Roux',
      V: 'Léa',
      W: '10',
      X: validRpps(),
      AH: email('login'),
    };
    const created = await importFile(structureId, format, [login, { ...full, S: 'PER' }, shared]);
    expect(created.counts).toMatchObject({ created: 3, failed: 0 });
    const ids = Object.fromEntries((await importRows(test, created.id)).map((row) => [row.email, row.mailboxId!]));

    const clearAll = Object.fromEntries(
      Object.keys(full)
        .filter((letter) => !['A', 'B', 'C', 'D'].includes(letter))
        .map((letter) => [letter, '#VIDE']),
    );
    const cleared = await importFile(structureId, format, [
      { ...full, ...clearAll, D: '', S: 'PER' },
      { ...shared, T: ' #vide ', U: '#VIDE', V: '', W: '#VIDE', X: '', AH: '#VIDE' },
    ]);
    expect(cleared.counts).toEqual({ created: 0, updated: 2, unchanged: 0, failed: 0 });

    expect(await getBox(ids[email('full')])).toMatchObject({
      rpps: expect.any(String),
      address: null,
      organisationName: null,
      service: null,
      postalCode: null,
      city: null,
      phone: null,
      civility: null,
      adeli: null,
      profession: null,
      professionCategory: null,
      specialty: null,
      expiresAt: null,
      directoryVisibility: 'default',
      paperless: null,
      mailboxPhone: null,
    });
    expect(await getBox(ids[email('shared')])).toMatchObject({ description: null, responsible: null });
    const delegates = await test.http
      .get(`/v1/mailboxes/${ids[email('full')]}/delegates`)
      .set(asOperator())
      .expect(200);
    expect(delegates.body.items).toEqual([]);
    const accounts = await test.http
      .get(`/v1/mailboxes/${ids[email('shared')]}/connection-accounts`)
      .set(asOperator())
      .expect(200);
    expect(accounts.body.items).toEqual([]);

    const audit = await test.http
      .get(`/v1/audit-events?mailboxId=${ids[email('full')]}&action=mailbox.updated`)
      .set(asOperator())
      .expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        cause: expect.objectContaining({ importId: cleared.id }),
        before: expect.objectContaining({ city: 'Marseille' }),
        after: expect.objectContaining({ city: null }),
      }),
    );
  });

  it('refuses #VIDE in a required column, in Q and in the MSSanté address, on the cell', async () => {
    const base = { A: email('refused'), B: 'Petit', C: 'Paul', D: validRpps(), S: 'PER' };
    expect((await importFile(structureId, format, [base])).counts.created).toBe(1);
    const done = await importFile(structureId, format, [
      { ...base, B: '#VIDE' },
      { ...base, A: email('refused-2'), Q: '#VIDE', AC: '#VIDE' },
    ]);
    expect(done.counts).toMatchObject({ failed: 2 });
    const failed = await importRows(test, done.id, 'failed');
    expect(failed.map((row) => row.errors.map((error) => [error.column, error.code]))).toEqual([
      [['B', 'CLEAR_REFUSED']],
      [
        ['Q', 'CLEAR_REFUSED'],
        ['AC', 'CLEAR_REFUSED'],
      ],
    ]);
  });

  it('keeps the responsible whole unless both names go, and treats #VIDE on a new box as an empty cell', async () => {
    const done = await importFile(structureId, format, [
      { A: email('new'), B: 'Neuf', C: 'Paul', D: validRpps(), S: 'PER', G: '#VIDE' },
      { A: email('half'), B: 'Service', C: 'X', S: 'ORG', U: '#VIDE', W: '10' },
    ]);
    expect(done.counts).toMatchObject({ created: 1, failed: 1 });
    const [failed] = await importRows(test, done.id, 'failed');
    expect(failed!.errors).toContainEqual(expect.objectContaining({ column: 'W', code: 'CLEAR_REFUSED' }));
    const [createdRow] = await importRows(test, done.id, 'created');
    expect(await getBox(createdRow!.mailboxId!)).toMatchObject({ service: null });
  });

  it('round-trips a real "#VIDE" value: the export protects it and the re-import changes nothing', async () => {
    const box = await createMailbox(test, structureId, 'ORG', {
      email: email('literal'),
      description: '#VIDE',
      service: "'#vide",
    });
    const exported = bytesOf(
      await downloadFile(test, `/v1/structures/${structureId}/mailboxes/export?format=${format}`).expect(200),
    );
    const records = format === 'csv' ? await readCsvRecords(exported) : await readXlsxRecords(exported, 'Loaduser', 34);
    const line = records.find((record) => record[0] === email('literal'))!;
    expect([line[19], line[6]]).toEqual(["'#VIDE", "''#vide"]);
    const done = await runImport(test, structureId, exported, {}, fileNameOf(format));
    expect(done.counts).toMatchObject({ updated: 0, failed: 0, created: 0 });
    expect(await getBox(box.id)).toMatchObject({ description: '#VIDE', service: "'#vide" });
  });
});

describe('the template explains #VIDE', () => {
  it('in its notice sheet', async () => {
    const template = bytesOf(await downloadFile(test, '/v1/imports/template?format=xlsx').expect(200));
    const notice = (await readXlsxRecords(template, 'Notice')).flat().join('\n');
    expect(notice).toMatch(/#VIDE dans la cellule/);
  });
});
