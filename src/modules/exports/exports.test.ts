import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { bytesOf, downloadFile } from '../../../test/downloads';
import { createMailbox, createStructure, importRows, loaduserCsv, runImport, validRpps } from '../../../test/factories';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', name));
const clock = new ManualClock('2026-11-29T09:00:00.000Z');

let test: TestApp;
let structureId: string;
let tricky: { id: string; email: string };
beforeAll(async () => {
  test = await createTestApp({ clock });
  structureId = (await createStructure(test, { domains: ['ch-exemple.mssante.fr'] })).id;
  expect((await runImport(test, structureId, fixture('loaduser-excel-fr.csv'))).counts.created).toBe(6);
  tricky = await createMailbox(test, structureId, 'INT', {
    lastName: '=HYPERLINK("http://evil.example")',
    firstName: '@Léa',
    service: '-Urgences',
    phone: '+33491000002',
    rpps: null,
  });
});
afterAll(() => test.close());

const download = (url: string) => downloadFile(test, url);
const bodyOf = bytesOf;

function csvLines(bytes: Buffer): string[][] {
  return bytes
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(';'));
}

describe("exporting a structure's boxes", () => {
  it('writes a CSV as French Excel opens it: BOM, semicolons, the template header, formulas neutralised', async () => {
    const response = await download(`/v1/structures/${structureId}/mailboxes/export?format=csv`).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="bal-.*-2026-11-29\.csv"$/);
    const bytes = bodyOf(response);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvLines(bytes);
    expect(header).toHaveLength(34);
    expect(header![0]).toBe('Adresse mail');
    expect(rows).toHaveLength(7);
    // Nominative boxes first, then ORG and APP, so that AH names rows above.
    const shared = rows.findIndex((row) => ['ORG', 'APP'].includes(row[18]!));
    expect(rows.slice(shared).every((row) => ['ORG', 'APP'].includes(row[18]!))).toBe(true);
    const trickyRow = rows.find((row) => row[32] === tricky.id)!;
    expect(trickyRow.slice(0, 3)).toEqual([tricky.email, '"\'=HYPERLINK(""http://evil.example"")"', "'@Léa"]);
    expect(trickyRow[6]).toBe("'-Urgences");
    expect(trickyRow[9]).toBe("'+33491000002");
    const orgLine = bytes
      .toString('utf8')
      .split('\r\n')
      .find((line) => line.startsWith('secretariat.cardio@ch-exemple.fr;'))!;
    expect(orgLine.endsWith(';"c.martin@ch-exemple.fr;h.lefevre@ch-exemple.fr"')).toBe(true);
  });

  it.each(['csv', 'xlsx'])('re-imports its own %s export with every row unchanged', async (format) => {
    const exported = bodyOf(
      await download(`/v1/structures/${structureId}/mailboxes/export?format=${format}`).expect(200),
    );
    const done = await runImport(test, structureId, exported, {}, `export.${format}`);
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 0, updated: 0, failed: 0, unchanged: 7 } });
    expect((await importRows(test, done.id)).every((row) => row.outcome === 'unchanged')).toBe(true);
  });

  it('writes an XLSX with the Loaduser and Notice sheets, real dates and text cells', async () => {
    const response = await download(`/v1/structures/${structureId}/mailboxes/export?format=xlsx`).expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bodyOf(response) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Loaduser', 'Notice']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(8);
    const lefevre = sheet.getRows(2, 7)!.find((row) => row.getCell(1).value === 'h.lefevre@ch-exemple.fr')!;
    expect(lefevre.getCell(4).value).toBe('10990000019');
    expect(lefevre.getCell(16).value).toEqual(new Date('2027-12-31T00:00:00.000Z'));
    expect(lefevre.getCell(29).value).toBe('helene.lefevre');
  });

  it('answers 404 for an unknown structure before sending anything', async () => {
    const response = await test.http
      .get('/v1/structures/00000000-0000-4000-8000-000000000000/mailboxes/export')
      .set(bearer(test.operatorKey))
      .expect(404);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('exporting deleted boxes and those soon deleted', () => {
  it('holds boxes deleted within six months (with their last address) and boxes near the inactivity deadline', async () => {
    const structure = (await createStructure(test, { domains: ['deleted-export.mssante.fr'] })).id;
    const rows = ['recently-deleted', 'long-deleted', 'nearly-inactive', 'active'].map((name) => ({
      A: `${name}@x.fr`,
      B: name,
      C: 'Jean',
      D: validRpps(),
      S: 'PER',
      AC: name,
    }));
    const imported = await runImport(test, structure, loaduserCsv(rows));
    const ids = Object.fromEntries(
      (await importRows(test, imported.id)).map((row) => [row.email!.split('@')[0]!, row.mailboxId!]),
    );
    await test.http.delete(`/v1/mailboxes/${ids['recently-deleted']}`).set(bearer(test.operatorKey)).expect(200);
    await test.http.delete(`/v1/mailboxes/${ids['long-deleted']}`).set(bearer(test.operatorKey)).expect(200);
    await test.app.db.execute(
      sql`update mailboxes set deleted_at = ${new Date('2026-04-01T00:00:00Z')} where id = ${ids['long-deleted']!}`,
    );
    await test.app.db.execute(
      sql`update mailboxes set created_at = ${new Date('2025-12-20T00:00:00Z')} where id = ${ids['nearly-inactive']!}`,
    );

    const [header, ...exported] = csvLines(
      bodyOf(await download(`/v1/structures/${structure}/deleted-mailboxes/export?format=csv`).expect(200)),
    );
    expect(header!.slice(30)).toEqual([
      'Statut',
      'Dernière activité',
      'Identifiant',
      'Comptes de connexion',
      'Date de suppression',
      'Suppression prévue le',
      'Données effacées le',
    ]);
    // The clock stands at 2026-11-29 09:00; the retention is six months, the inactivity deadline 365 days.
    expect(exported.map((row) => [row[0], row[30], row[28], row[29], ...row.slice(34)]).sort()).toEqual([
      [
        'nearly-inactive@x.fr',
        'Préinscrite',
        'nearly-inactive',
        'deleted-export.mssante.fr',
        '',
        '20/12/2026',
        '20/06/2027',
      ],
      [
        'recently-deleted@x.fr',
        'Supprimée',
        'recently-deleted',
        'deleted-export.mssante.fr',
        '29/11/2026',
        '',
        '29/05/2027',
      ],
    ]);
  });

  it('writes the same dates as date cells in XLSX, and imports back as it is (AI to AK ignored)', async () => {
    const structure = (await createStructure(test)).id;
    const box = await createMailbox(test, structure, 'PER', { email: 'gone@dates.example.fr' });
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey)).expect(200);
    await test.app.db.execute(
      sql`update mailboxes set deleted_at = ${new Date('2026-08-31T10:00:00Z')} where id = ${box.id}`,
    );
    const exported = bodyOf(
      await download(`/v1/structures/${structure}/deleted-mailboxes/export?format=xlsx`).expect(200),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported as unknown as ArrayBuffer);
    const row = workbook.worksheets[0]!.getRow(2);
    expect([row.getCell(31).value, row.getCell(35).value, row.getCell(36).value, row.getCell(37).value]).toEqual([
      'Supprimée',
      new Date('2026-08-31T00:00:00.000Z'),
      null,
      // 31 August plus six months: the retention cutoff reaches it on 1 March (no 31 February).
      new Date('2027-03-01T00:00:00.000Z'),
    ]);
    const reimported = await runImport(test, structure, exported, {}, 'deleted.xlsx');
    expect(reimported).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
  });
});
