import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, importRows, mailboxBody, runImport, validRpps } from '../../../test/factories';
import { fileNameOf, loaduserFile } from '../../../test/loaduser-files';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);

describe('a MED box is a login "Sans n° RPPS ou ADELI"', () => {
  it.each([
    ['an RPPS', { rpps: validRpps() }, 'rpps'],
    ['an ADELI', { adeli: '751234567' }, 'adeli'],
  ])('refuses to create one with %s, naming the field', async (_label, overrides, field) => {
    const response = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'MED', overrides))
      .expect(422);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.body.errors).toEqual([
      { field, code: 'NATIONAL_ID_FORBIDDEN', message: expect.stringMatching(/Sans n° RPPS ou ADELI/) },
    ]);
  });

  it('refuses to give an existing MED box an RPPS', async () => {
    const med = await createMailbox(test, structureId, 'MED');
    const response = await test.http
      .patch(`/v1/mailboxes/${med.id}`)
      .set(asOperator())
      .send({ rpps: validRpps() })
      .expect(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'rpps', code: 'NATIONAL_ID_FORBIDDEN' });
    const stored = await test.http.get(`/v1/mailboxes/${med.id}`).set(asOperator()).expect(200);
    expect(stored.body.rpps).toBeNull();
  });

  it('refuses to turn a PER box into MED while it keeps its RPPS, and accepts it cleared', async () => {
    const per = await createMailbox(test, structureId, 'PER');
    const refused = await test.http
      .post(`/v1/mailboxes/${per.id}/type-change`)
      .set(asOperator())
      .send({ type: 'MED' })
      .expect(422);
    expect(refused.body.errors).toContainEqual(
      expect.objectContaining({ field: 'rpps', code: 'NATIONAL_ID_FORBIDDEN' }),
    );
    const changed = await test.http
      .post(`/v1/mailboxes/${per.id}/type-change`)
      .set(asOperator())
      .send({ type: 'MED', rpps: null })
      .expect(200);
    expect(changed.body).toMatchObject({ type: 'MED', rpps: null });
  });

  it.each(['csv', 'xlsx'] as const)('fails a %s import row giving a MED box a number, on its cell', async (format) => {
    const row = (name: string, cells: Record<string, string>) => ({
      A: `${name}.${format}@med-rule.example.fr`,
      B: 'Martin',
      C: 'Carole',
      S: 'MED',
      ...cells,
    });
    const file = await loaduserFile(format, [
      row('with-rpps', { D: validRpps() }),
      row('with-adeli', { L: '751234567' }),
      row('without', {}),
    ]);
    const done = await runImport(test, structureId, file, { onError: 'skip' }, fileNameOf(format));
    expect(done.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 2 });
    const failed = await importRows(test, done.id, 'failed');
    expect(failed.map((result) => result.errors)).toEqual([
      [expect.objectContaining({ row: 2, column: 'D', header: 'RPPS', code: 'NATIONAL_ID_FORBIDDEN' })],
      [expect.objectContaining({ row: 3, column: 'L', header: 'ADELI', code: 'NATIONAL_ID_FORBIDDEN' })],
    ]);
  });
});
