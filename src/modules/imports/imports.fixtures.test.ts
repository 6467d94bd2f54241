import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, importRows, runImport } from '../../../test/factories';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test, { domains: ['ch-exemple.mssante.fr'] })).id;
});
afterAll(() => test.close());

async function mailboxByEmail(email: string) {
  const response = await test.http
    .get(`/v1/mailboxes?structureId=${structureId}&q=${encodeURIComponent(email)}`)
    .set(bearer(test.operatorKey));
  return response.body.items.find((item: { email: string }) => item.email === email);
}

async function auditEventsOf(mailboxId: string) {
  return selectRows<{ action: string; cause: { importId: string } | null }>(
    test.app.db,
    sql`select action, cause from audit_events where mailbox_id = ${mailboxId} order by sequence`,
  );
}

describe('importing the real loaduser files', () => {
  let firstImportId: string;

  it('creates the six boxes of the Windows-1252 file written by French Excel, with addresses and links', async () => {
    const done = await runImport(test, structureId, fixture('loaduser-excel-fr.csv'), {}, 'loaduser-excel-fr.csv');
    firstImportId = done.id;
    expect(done).toMatchObject({
      status: 'succeeded',
      error: null,
      counts: { created: 6, updated: 0, unchanged: 0, failed: 0 },
    });
    expect(done.progress).toEqual({ phase: 'done', rowsRead: 6, totalRows: 6, rowsApplied: 6 });

    const lefevre = await mailboxByEmail('h.lefevre@ch-exemple.fr');
    expect(lefevre).toMatchObject({
      type: 'PER',
      status: 'preregistered',
      lastName: 'Lefèvre',
      firstName: 'Hélène',
      rpps: '10990000019',
      phone: '+33491000001',
      postalCode: '13005',
      expiresAt: '2027-12-31',
      directoryVisible: true,
      directoryVisibility: 'explicit',
      paperless: true,
      correspondence: expect.objectContaining({ address: 'helene.lefevre@ch-exemple.mssante.fr' }),
    });
    const org = await mailboxByEmail('secretariat.cardio@ch-exemple.fr');
    expect(org).toMatchObject({
      type: 'ORG',
      responsible: expect.objectContaining({ lastName: 'Lefèvre', rpps: '10990000019' }),
    });
    const accounts = await selectRows<{ email: string }>(
      test.app.db,
      sql`
      select m.email from connection_accounts c join mailboxes m on m.id = c.account_mailbox_id
       where c.shared_mailbox_id = ${org.id} order by m.email`,
    );
    expect(accounts.map((row) => row.email)).toEqual(['c.martin@ch-exemple.fr', 'h.lefevre@ch-exemple.fr']);
    const delegated = await selectRows<{ email: string }>(
      test.app.db,
      sql`
      select m.email from delegates d join mailboxes m on m.id = d.delegate_mailbox_id
       join mailboxes owner on owner.id = d.mailbox_id where owner.email = 'l.dupont@ch-exemple.fr'`,
    );
    expect(delegated).toEqual([{ email: 'h.lefevre@ch-exemple.fr' }]);
  });

  it('audits every created box once, with the import as the cause, and lists one result per row', async () => {
    const rows = await importRows(test, firstImportId);
    expect(rows.map((row) => [row.rowNumber, row.outcome])).toEqual([2, 3, 4, 5, 6, 7].map((row) => [row, 'created']));
    for (const row of rows) {
      expect(await auditEventsOf(row.mailboxId!)).toEqual([
        { action: 'mailbox.created', cause: { importId: firstImportId } },
      ]);
    }
  });

  it.each([
    ['loaduser-utf8-bom.csv', 'csv'],
    ['loaduser-comma.csv', 'csv'],
    ['loaduser-openpyxl.xlsx', 'xlsx'],
    ['loaduser-libreoffice.xlsx', 'xlsx'],
    ['loaduser-excel97.xls', 'xls'],
  ])('reads %s as the same six boxes: every row unchanged, nothing written', async (name, format) => {
    const done = await runImport(test, structureId, fixture(name), {}, name);
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 0, updated: 0, unchanged: 6, failed: 0 } });
    const detail = await test.http.get(`/v1/imports/${done.id}`).set(bearer(test.operatorKey));
    expect(detail.body.format).toBe(format);
    const lefevre = await mailboxByEmail('h.lefevre@ch-exemple.fr');
    expect(lefevre.updatedAt).toBe(lefevre.createdAt);
    expect(await auditEventsOf(lefevre.id)).toHaveLength(1);
  });

  it('refuses the outdated template as a whole, pointing to the current one', async () => {
    const done = await runImport(test, structureId, fixture('loaduser-outdated-template.csv'));
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'TEMPLATE_OUTDATED', template: '/v1/imports/template' });
    expect(done.error!.detail).toMatch(/older loaduser template/);
    expect(done.error!.errors).toEqual([expect.objectContaining({ row: 1, column: 'H', code: 'TEMPLATE_OUTDATED' })]);
    expect(await importRows(test, done.id)).toEqual([]);
  });
});
