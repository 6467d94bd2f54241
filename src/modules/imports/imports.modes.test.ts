import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createStructure,
  importRows,
  loaduserCsv,
  runImport,
  uniqueDomain,
  uniqueEmail,
  validRpps,
} from '../../../test/factories';

let test: TestApp;
let structureId: string;
let domain: string;
let secondDomain: string;
beforeAll(async () => {
  test = await createTestApp();
  [domain, secondDomain] = [uniqueDomain(), uniqueDomain()];
  structureId = (await createStructure(test, { domains: [domain, secondDomain] })).id;
});
afterAll(() => test.close());

const per = (email: string, cells: Record<string, string> = {}) => ({
  A: email,
  B: 'Dupont',
  C: 'Jean',
  D: validRpps(),
  M: '10',
  S: 'PER',
  ...cells,
});

async function boxOf(email: string) {
  const response = await test.http
    .get(`/v1/mailboxes?structureId=${structureId}&q=${encodeURIComponent(email)}`)
    .set(bearer(test.operatorKey));
  return response.body.items.find((item: { email: string }) => item.email === email) as
    (Record<string, unknown> & { id: string; correspondence: { address: string } | null }) | undefined;
}

const countRows = async (query: ReturnType<typeof sql>) =>
  (await selectRows<{ count: number }>(test.app.db, query))[0]!.count;
const auditCount = (mailboxId: string) =>
  countRows(sql`select count(*)::int as count from audit_events where mailbox_id = ${mailboxId}`);

describe('onError and dryRun', () => {
  const file = () => {
    const emails = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')];
    return { emails, csv: loaduserCsv([per(emails[0]!), per(emails[1]!, { D: '10000013995' }), per(emails[2]!)]) };
  };

  it('abort (the default): validates every row, writes nothing when one fails, and lists only the failed rows', async () => {
    const { emails, csv } = file();
    const done = await runImport(test, structureId, csv);
    expect(done).toMatchObject({ status: 'failed', counts: { created: 0, updated: 0, unchanged: 0, failed: 1 } });
    expect(done.error).toMatchObject({ code: 'ROWS_INVALID', detail: expect.stringMatching(/1 row has errors/) });
    expect(done.progress).toMatchObject({ phase: 'done', rowsRead: 3, totalRows: 3 });
    expect(await importRows(test, done.id)).toEqual([expect.objectContaining({ rowNumber: 3, outcome: 'failed' })]);
    for (const email of emails) expect(await boxOf(email)).toBeUndefined();
    expect(
      await countRows(sql`select count(*)::int as count from import_staged_rows where import_id = ${done.id}`),
    ).toBe(0);
  });

  it('skip: writes the valid rows and reports the failed ones', async () => {
    const { emails, csv } = file();
    const done = await runImport(test, structureId, csv, { onError: 'skip' });
    expect(done).toMatchObject({ status: 'succeeded', error: null, counts: { created: 2, failed: 1 } });
    expect(await boxOf(emails[0]!)).toBeDefined();
    expect(await boxOf(emails[1]!)).toBeUndefined();
    expect(await boxOf(emails[2]!)).toBeDefined();
  });

  it('dryRun: reports what each row would do and writes nothing', async () => {
    const [kept, changed, fresh] = [uniqueEmail('kept'), uniqueEmail('changed'), uniqueEmail('fresh')];
    const rpps = [validRpps(), validRpps()];
    await runImport(
      test,
      structureId,
      loaduserCsv([per(kept, { D: rpps[0]! }), per(changed, { D: rpps[1]!, G: 'Avant' })]),
    );
    const before = await boxOf(changed);
    const done = await runImport(
      test,
      structureId,
      loaduserCsv([
        per(kept, { D: rpps[0]! }),
        per(changed, { D: rpps[1]!, G: 'Après' }),
        per(fresh),
        per(uniqueEmail('bad'), { S: 'XYZ' }),
      ]),
      { dryRun: 'true', onError: 'skip' },
    );
    expect(done).toMatchObject({ status: 'succeeded', counts: { unchanged: 1, updated: 1, created: 1, failed: 1 } });
    expect((await importRows(test, done.id)).map((row) => row.outcome)).toEqual([
      'unchanged',
      'updated',
      'created',
      'failed',
    ]);
    expect(await boxOf(changed)).toEqual(before);
    expect(await boxOf(fresh)).toBeUndefined();
    expect(await auditCount(before!.id)).toBe(1);
  });
});

describe('the boxes an import creates', () => {
  it('are found by their MSSanté address: written after it, each box computes its search terms with it', async () => {
    const email = uniqueEmail('found');
    const word = `zorglub${Date.now().toString(36)}`;
    const done = await runImport(test, structureId, loaduserCsv([per(email, { AC: word })]));
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 1 } });
    const response = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&q=${word}`)
      .set(bearer(test.operatorKey));
    expect(response.body.items).toEqual([
      expect.objectContaining({ email, correspondence: expect.objectContaining({ address: `${word}@${domain}` }) }),
    ]);
  });
});

describe('what a row does to an existing box', () => {
  it('keeps what empty cells leave out, never removes an address, and moves it with AD alone', async () => {
    const email = uniqueEmail('keep');
    const rpps = validRpps();
    await runImport(
      test,
      structureId,
      loaduserCsv([per(email, { D: rpps, G: 'Cardiologie', J: '+33491000001', AC: 'jean.keep' })]),
    );
    const partial = await runImport(
      test,
      structureId,
      loaduserCsv([{ A: email.toUpperCase(), B: 'Dupont', C: 'Jean', S: 'PER', I: 'Marseille' }]),
    );
    expect(partial.counts).toMatchObject({ updated: 1 });
    expect(await boxOf(email)).toMatchObject({
      rpps,
      service: 'Cardiologie',
      phone: '+33491000001',
      city: 'Marseille',
      email,
      correspondence: { address: `jean.keep@${domain}` },
    });
    const moved = await runImport(
      test,
      structureId,
      loaduserCsv([{ A: email, B: 'Dupont', C: 'Jean', S: 'PER', AD: secondDomain }]),
    );
    expect(moved.counts).toMatchObject({ updated: 1 });
    const box = await boxOf(email);
    expect(box!.correspondence).toMatchObject({ address: `jean.keep@${secondDomain}` });
    const history = await selectRows<{ address: string; withdrawn: boolean }>(
      test.app.db,
      sql`
      select address, withdrawn_at is not null as withdrawn from mssante_addresses where mailbox_id = ${box!.id} order by assigned_at, withdrawn_at nulls last`,
    );
    expect(history).toEqual([
      { address: `jean.keep@${domain}`, withdrawn: true },
      { address: `jean.keep@${secondDomain}`, withdrawn: false },
    ]);
    expect(await auditCount(box!.id)).toBe(3);
  });

  it('makes the address of a box that becomes a test account a test address, and back (column Q)', async () => {
    const email = uniqueEmail('retag');
    await runImport(test, structureId, loaduserCsv([per(email, { AC: `jean.retag.${Date.now()}` })]));
    expect((await boxOf(email))!.correspondence).toMatchObject({ isTest: false });
    const toTest = await runImport(test, structureId, loaduserCsv([per(email, { D: '', Q: 'O' })]));
    expect(toTest.counts).toMatchObject({ updated: 1 });
    const box = await boxOf(email);
    expect(box).toMatchObject({ isTest: true, correspondence: { isTest: true } });
    await runImport(test, structureId, loaduserCsv([per(email, { D: '', Q: 'N' })]));
    expect(await boxOf(email)).toMatchObject({ isTest: false, correspondence: { isTest: false } });
    const addresses = await countRows(
      sql`select count(*)::int as count from mssante_addresses where mailbox_id = ${box!.id}`,
    );
    expect(addresses).toBe(1);
  });

  it('keeps backslashes, tabs and line breaks of a cell as written, in the box and in its audit event', async () => {
    const email = uniqueEmail('escapes');
    const service = 'Cardio\\Pédiatrie\tUnité \\N';
    const address = '1 rue du Port\nBâtiment B';
    const done = await runImport(test, structureId, loaduserCsv([per(email, { G: service, E: address })]));
    expect(done.counts.created).toBe(1);
    const box = await boxOf(email);
    expect(box).toMatchObject({ service, address });
    const [event] = await selectRows<{ after: { service: string; address: string } }>(
      test.app.db,
      sql`select after from audit_events where mailbox_id = ${box!.id} and action = 'mailbox.created'`,
    );
    expect(event!.after).toMatchObject({ service, address });
  });

  it('treats a filled AB or AH as the whole list: links not listed are removed', async () => {
    const [first, second, shared] = [uniqueEmail('p1'), uniqueEmail('p2'), uniqueEmail('org')];
    const org = (accounts: string) => ({ A: shared, B: 'Service', C: 'X', S: 'ORG', AH: accounts });
    await runImport(test, structureId, loaduserCsv([per(first), per(second), org(`${first};${second}`)]));
    const replaced = await runImport(test, structureId, loaduserCsv([org(second)]));
    expect(replaced.counts).toMatchObject({ updated: 1 });
    const box = await boxOf(shared);
    const accounts = await selectRows<{ email: string }>(
      test.app.db,
      sql`
      select m.email from connection_accounts c join mailboxes m on m.id = c.account_mailbox_id where c.shared_mailbox_id = ${box!.id}`,
    );
    expect(accounts).toEqual([{ email: second }]);
    const [event] = await selectRows<{
      before: { connectionAccounts: string[] };
      after: { connectionAccounts: string[] };
    }>(
      test.app.db,
      sql`
      select before, after from audit_events where mailbox_id = ${box!.id} and action = 'mailbox.updated'`,
    );
    expect(event).toMatchObject({
      before: { connectionAccounts: [first, second] },
      after: { connectionAccounts: [second] },
    });
    expect((await runImport(test, structureId, loaduserCsv([org(second)]))).counts).toMatchObject({ unchanged: 1 });
  });

  it('applies the directoryVisible option to created boxes whose column R is empty, and queues invitations with notify', async () => {
    const [optionOnly, explicitNo, existing] = [uniqueEmail('visible'), uniqueEmail('hidden'), uniqueEmail('existing')];
    await runImport(test, structureId, loaduserCsv([per(existing)]));
    const done = await runImport(
      test,
      structureId,
      loaduserCsv([per(optionOnly), per(explicitNo, { R: 'N' }), per(existing, { G: 'Pharmacie' })]),
      {
        directoryVisible: 'true',
        notify: 'true',
      },
    );
    expect(done.counts).toMatchObject({ created: 2, updated: 1 });
    expect(await boxOf(optionOnly)).toMatchObject({ directoryVisible: true, directoryVisibility: 'explicit' });
    expect(await boxOf(explicitNo)).toMatchObject({ directoryVisible: false, directoryVisibility: 'explicit' });
    expect(await boxOf(existing)).toMatchObject({ directoryVisibility: 'default', service: 'Pharmacie' });
    const invited = await selectRows<{ recipient: string }>(
      test.app.db,
      sql`
      select recipient from notifications where kind = 'invitation' and recipient in (${optionOnly}, ${explicitNo}, ${existing}) order by recipient`,
    );
    expect(invited.map((row) => row.recipient).sort()).toEqual([explicitNo, optionOnly].sort());
  });
});
