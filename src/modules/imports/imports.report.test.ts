import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { bytesOf, downloadFile } from '../../../test/downloads';
import {
  createStructure,
  loaduserCsv,
  runImport,
  uniqueDomain,
  uniqueEmail,
  uploadImport,
  validRpps,
} from '../../../test/factories';
import { LOADUSER_TEST_HEADERS } from '../../../test/loaduser-test-headers';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test, { domains: [uniqueDomain()] })).id;
});
afterAll(() => test.close());

const download = (url: string) => downloadFile(test, url);
const bodyOf = bytesOf;
const csvText = (response: Response) =>
  bodyOf(response)
    .toString('utf8')
    .replace(/^\ufeff/, '');

async function sheetsOf(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets;
}

describe('the template', () => {
  it('is a CSV holding the header row of version 2 only', async () => {
    const response = await download('/v1/imports/template?format=csv').expect(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="loaduser-modele.csv"');
    expect(csvText(response)).toBe(`${LOADUSER_TEST_HEADERS.join(';')}\r\n`);
  });

  it('is by default an XLSX with the header row and a Notice sheet explaining every column', async () => {
    const [loaduser, notice] = await sheetsOf(bodyOf(await download('/v1/imports/template').expect(200)));
    expect(loaduser!.rowCount).toBe(1);
    expect((loaduser!.getRow(1).values as unknown[]).slice(1)).toEqual(LOADUSER_TEST_HEADERS);
    expect(notice!.name).toBe('Notice');
    const text = JSON.stringify(notice!.getSheetValues());
    expect(text).toContain('Cellule vide');
    expect(text).toContain('Comptes de connexion');
  });

  it('refuses an unknown format with 400', async () => {
    await test.http.get('/v1/imports/template?format=ods').set(bearer(test.operatorKey)).expect(400);
  });
});

describe('the annotated report', () => {
  const file = () =>
    loaduserCsv([
      { A: uniqueEmail('ok'), B: 'Dupont', C: '=Jean', D: validRpps(), S: 'PER' },
      { A: uniqueEmail('bad'), B: 'Durand', C: 'Paul', D: '10000013995', S: 'PER', Q: 'peut-être' },
    ]);

  it('lists every row of the upload with its outcome and its errors, in CSV and XLSX', async () => {
    const done = await runImport(test, structureId, file(), { onError: 'skip' });
    const lines = csvText(await download(`/v1/imports/${done.id}/report?format=csv`).expect(200))
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe([...LOADUSER_TEST_HEADERS, 'Ligne', 'Résultat', 'Erreurs'].join(';'));
    expect(lines[1]).toMatch(/;'=Jean;.*;2;créée;$/);
    expect(lines[2]).toMatch(/;3;erreur;"D \(RPPS\) RPPS_KEY : .*\nQ \(Compte de test\) YES_NO_INVALID : .*"$/s);

    const [report] = await sheetsOf(bodyOf(await download(`/v1/imports/${done.id}/report?format=xlsx`).expect(200)));
    expect(report!.rowCount).toBe(3);
    expect(report!.getRow(3).getCell(36).value).toBe('erreur');
  });

  it('marks the valid rows of an aborted import as not applied', async () => {
    const done = await runImport(test, structureId, file());
    expect(done.status).toBe('failed');
    const lines = csvText(await download(`/v1/imports/${done.id}/report?format=csv`).expect(200))
      .trimEnd()
      .split('\r\n');
    expect(lines[1]).toMatch(/;2;non appliquée;$/);
  });

  it('answers 409 while the import runs and when the file itself could not be read', async () => {
    const queued = await uploadImport(test, structureId, file()).expect(202);
    const early = await test.http.get(`/v1/imports/${queued.body.id}/report`).set(bearer(test.operatorKey)).expect(409);
    expect(early.body.code).toBe('CONFLICT');
    await test.app.jobs.drain();
    const unreadable = await runImport(test, structureId, Buffer.from('a;b;c\n1;2;3\n'));
    await test.http.get(`/v1/imports/${unreadable.id}/report`).set(bearer(test.operatorKey)).expect(409);
  });
});
