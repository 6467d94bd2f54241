import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, importRows, mailboxBody, runImport } from '../../../test/factories';
import { bytesOf, downloadFile, readCsvRecords } from '../../../test/downloads';
import { fileNameOf, loaduserFile } from '../../../test/loaduser-files';

let test: TestApp;
let strict: string;
let lenient: string;
beforeAll(async () => {
  test = await createTestApp();
  strict = (await createStructure(test)).id;
  lenient = (await createStructure(test)).id;
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);

describe('a structure that requires an expiry date on INT boxes', () => {
  beforeAll(async () => {
    const patched = await test.http
      .patch(`/v1/structures/${strict}`)
      .set(asOperator())
      .send({ intExpiryRequired: true })
      .expect(200);
    expect(patched.body.intExpiryRequired).toBe(true);
  });

  it('audits the change of setting', async () => {
    const audit = await test.http
      .get(`/v1/audit-events?targetId=${strict}&action=structure.updated`)
      .set(asOperator())
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ intExpiryRequired: false }),
        after: expect.objectContaining({ intExpiryRequired: true }),
      }),
    ]);
  });

  it('refuses an INT box without expiry date with a 422 naming the field, and takes one with it', async () => {
    const refused = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(strict, 'INT'))
      .expect(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'expiresAt', code: 'EXPIRY_DATE_REQUIRED', message: expect.stringMatching(/temporary/) },
    ]);
    const created = await createMailbox(test, strict, 'INT', { expiresAt: '2027-06-30' });
    const cleared = await test.http
      .patch(`/v1/mailboxes/${created.id}`)
      .set(asOperator())
      .send({ expiresAt: null })
      .expect(422);
    expect(cleared.body.errors[0]).toMatchObject({ field: 'expiresAt', code: 'EXPIRY_DATE_REQUIRED' });
  });

  it('refuses to turn a box into INT without an expiry date, or to attach such a box', async () => {
    const per = await createMailbox(test, strict, 'PER');
    const refused = await test.http
      .post(`/v1/mailboxes/${per.id}/type-change`)
      .set(asOperator())
      .send({ type: 'INT' })
      .expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'expiresAt', code: 'EXPIRY_DATE_REQUIRED' });
    await test.http
      .post(`/v1/mailboxes/${per.id}/type-change`)
      .set(asOperator())
      .send({ type: 'INT', expiresAt: '2027-01-31' })
      .expect(200);
    const elsewhere = await createMailbox(test, lenient, 'INT');
    const transfer = await test.http
      .post(`/v1/mailboxes/${elsewhere.id}/transfer`)
      .set(asOperator())
      .send({ structureId: strict })
      .expect(422);
    expect(transfer.body.errors[0]).toMatchObject({ field: 'expiresAt', code: 'EXPIRY_DATE_REQUIRED' });
  });

  it.each(['csv', 'xlsx'] as const)('fails a %s import row of an INT box without date, on column P', async (format) => {
    const row = (name: string, cells: Record<string, string> = {}) => ({
      A: `${name}.${format}@int-expiry.example.fr`,
      B: 'Okafor',
      C: 'Ngozi',
      S: 'INT',
      ...cells,
    });
    const file = await loaduserFile(format, [row('undated'), row('dated', { P: '30/06/2027' })]);
    const done = await runImport(test, strict, file, { onError: 'skip' }, fileNameOf(format));
    expect(done.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 1 });
    const [failed] = await importRows(test, done.id, 'failed');
    expect(failed!.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'P', header: 'Date de péremption', code: 'EXPIRY_DATE_REQUIRED' }),
    ]);
  });
});

describe('a structure that does not require it', () => {
  it('accepts an INT box without expiry date and warns in its activity and its alimentation report', async () => {
    const structure = (await createStructure(test)).id;
    const undated = await createMailbox(test, structure, 'INT');
    await createMailbox(test, structure, 'INT', { expiresAt: '2027-06-30' });
    const activity = await test.http.get(`/v1/structures/${structure}/activity`).set(asOperator()).expect(200);
    expect(activity.body.warnings).toEqual([
      { code: 'INT_WITHOUT_EXPIRY', count: 1, message: expect.any(String), mailboxIds: [undated.id] },
    ]);
    const report = await test.http
      .get(`/v1/structures/${structure}/alimentation-report?limit=500`)
      .set(asOperator())
      .expect(200);
    const expiryItems = report.body.items.filter((item: { rule: string }) => item.rule === 'INT_WITHOUT_EXPIRY');
    expect(expiryItems).toEqual([
      expect.objectContaining({ mailboxId: undated.id, severity: 'warning', field: 'expiresAt' }),
    ]);
  });

  it.each(['csv', 'xlsx'] as const)(
    'creates an INT box without date by %s import, with a warning on column P',
    async (format) => {
      const structure = (await createStructure(test)).id;
      const file = await loaduserFile(format, [
        { A: `undated.${format}@int-warning.example.fr`, B: 'Okafor', C: 'Ngozi', S: 'INT' },
        { A: `dated.${format}@int-warning.example.fr`, B: 'Okafor', C: 'Chidi', S: 'INT', P: '2027-06-30' },
      ]);
      const done = await runImport(test, structure, file, {}, fileNameOf(format));
      expect(done.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 0 });
      const rows = await importRows(test, done.id);
      expect(rows.map((row) => row.warnings)).toEqual([
        [
          {
            row: 2,
            column: 'P',
            header: 'Date de péremption',
            code: 'INT_WITHOUT_EXPIRY',
            message: expect.any(String),
          },
        ],
        [],
      ]);
      const report = bytesOf(await downloadFile(test, `/v1/imports/${done.id}/report?format=csv`).expect(200));
      const [header, undated] = await readCsvRecords(report);
      expect(undated![header!.indexOf('Erreurs')]).toMatch(
        /^Avertissement P \(Date de péremption\) INT_WITHOUT_EXPIRY : /,
      );
    },
  );

  it('shows no warning once every INT box has its date', async () => {
    const structure = (await createStructure(test)).id;
    await createMailbox(test, structure, 'INT', { expiresAt: '2027-06-30' });
    const activity = await test.http.get(`/v1/structures/${structure}/activity`).set(asOperator()).expect(200);
    expect(activity.body.warnings).toEqual([]);
  });
});
