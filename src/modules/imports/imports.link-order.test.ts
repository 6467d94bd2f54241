import { randomBytes } from 'node:crypto';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, importRows, runImport, validRpps } from '../../../test/factories';
import { fileNameOf, loaduserFile, type LoaduserTestFormat } from '../../../test/loaduser-files';

// Two rows per batch: links cross validation chunks and apply batches, in both directions.
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ environment: { BALISE_IMPORT_BATCH_SIZE: '2' } });
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const FORMATS: LoaduserTestFormat[] = ['csv', 'xlsx'];
type Order = 'shared boxes first' | 'people first';

/**
 * The deck's order: shared boxes first, then the people who open them. `tag` keeps each import's
 * e-mails its own (an e-mail is one box across structures); names are what results are compared by.
 */
function deckRows(tag: string) {
  const email = (name: string) => `${name}.${tag}@links.example.fr`;
  const per = (name: string, cells: Record<string, string> = {}) => ({
    A: email(name),
    B: 'Durand',
    C: name,
    D: validRpps(),
    S: 'PER',
    ...cells,
  });
  const org = (name: string, cells: Record<string, string>) => ({
    A: email(name),
    B: 'Accueil',
    C: name,
    S: 'ORG',
    ...cells,
  });
  return [
    org('shared', { AH: `${email('alice')} ; ${email('bob')}` }),
    per('carol', { AB: email('alice') }),
    per('alice'),
    per('bob'),
    // Names a row that fails (an RPPS with a wrong key), and a box that is nowhere.
    org('broken', { AH: email('failing') }),
    per('failing', { D: '10000000000' }),
    org('nowhere', { AH: email('ghost') }),
  ];
}

const nameOf = (email: string | null) => email?.split('.')[0] ?? null;

async function importInOrder(format: LoaduserTestFormat, order: Order, dryRun: boolean) {
  const tag = `${format}${randomBytes(3).toString('hex')}`;
  const rows = deckRows(tag);
  const structureId = (await createStructure(test)).id;
  const file = await loaduserFile(format, order === 'shared boxes first' ? rows : [...rows].reverse());
  const fields = { onError: 'skip', dryRun: String(dryRun) };
  const done = await runImport(test, structureId, file, fields, fileNameOf(format));
  expect(done.status).toBe('succeeded');
  const results = await importRows(test, done.id);
  const failures = Object.fromEntries(
    results
      .filter((row) => row.outcome === 'failed')
      .map((row) => [nameOf(row.email), row.errors.map(({ column, code }) => `${column}:${code}`)]),
  );
  const outcomes = Object.fromEntries(results.map((row) => [nameOf(row.email), row.outcome]));
  const messages = results.flatMap((row) => row.errors.map((error) => error.message));
  return { done, results, failures, outcomes, messages, structureId };
}

/** Who opens which shared box and who acts for whom, by name. */
async function linksOf(results: Awaited<ReturnType<typeof importInOrder>>['results']) {
  const links: Record<string, string[]> = {};
  for (const row of results) {
    if (!row.mailboxId) continue;
    const accounts = await test.http
      .get(`/v1/mailboxes/${row.mailboxId}/connection-accounts?limit=500`)
      .set(asOperator());
    const delegates = await test.http.get(`/v1/mailboxes/${row.mailboxId}/delegates?limit=500`).set(asOperator());
    const named = [
      ...(accounts.status === 200 ? (accounts.body.items as { email: string }[]) : []).map(
        (item) => `account:${nameOf(item.email)}`,
      ),
      ...(delegates.status === 200 ? (delegates.body.items as { email: string }[]) : []).map(
        (item) => `delegate:${nameOf(item.email)}`,
      ),
    ].sort();
    if (named.length > 0) links[nameOf(row.email)!] = named;
  }
  return links;
}

describe.each(FORMATS)('links to rows below (%s)', (format) => {
  const expectedFailures = {
    broken: ['AH:ACCOUNT_ROW_FAILED'],
    failing: ['D:RPPS_KEY'],
    nowhere: ['AH:ACCOUNT_UNKNOWN'],
  };

  it('validates a dry run the same in either order', async () => {
    const down = await importInOrder(format, 'shared boxes first', true);
    const up = await importInOrder(format, 'people first', true);
    expect(down.done.counts).toEqual(up.done.counts);
    expect(down.done.counts).toMatchObject({ created: 4, updated: 0, unchanged: 0, failed: 3 });
    expect(down.outcomes).toEqual(up.outcomes);
    expect(down.failures).toEqual(up.failures);
    expect(down.failures).toMatchObject(expectedFailures);
  });

  it('creates the same boxes, links and counts in either order', async () => {
    const down = await importInOrder(format, 'shared boxes first', false);
    const up = await importInOrder(format, 'people first', false);
    expect(down.done.counts).toEqual({ created: 4, updated: 0, unchanged: 0, failed: 3 });
    expect(up.done.counts).toEqual(down.done.counts);
    expect(down.outcomes).toEqual(up.outcomes);
    expect(down.failures).toEqual(up.failures);
    expect(down.failures).toMatchObject(expectedFailures);
    const links = await linksOf(down.results);
    expect(links).toEqual({
      shared: ['account:alice', 'account:bob'],
      carol: ['delegate:alice'],
      // Seen from the other side: alice and bob open the shared box.
    });
    expect(await linksOf(up.results)).toEqual(links);
    // The unknown name is said to be neither in the structure nor anywhere in the file.
    expect(down.messages).toContainEqual(
      expect.stringMatching(/ghost.*neither a box of this structure nor a row of this file/),
    );
    expect(down.messages).toContainEqual(expect.stringMatching(/failing.* is on row 7, which has errors/));
    expect(up.messages).toContainEqual(expect.stringMatching(/failing.* is on row 3, which has errors/));
  });

  it('audits the links written once the rows below exist, with the import as cause', async () => {
    const down = await importInOrder(format, 'shared boxes first', false);
    const events = await test.http
      .get(`/v1/audit-events?structureId=${down.structureId}&limit=500`)
      .set(asOperator())
      .expect(200);
    const linkEvents = (events.body.items as { action: string; cause: { importId?: string } | null }[]).filter(
      (event) => event.action === 'connection_account.added' || event.action === 'delegate.added',
    );
    expect(linkEvents.map((event) => event.action).sort()).toEqual([
      'connection_account.added',
      'connection_account.added',
      'delegate.added',
    ]);
    for (const event of linkEvents) expect(event.cause).toEqual({ importId: down.done.id });
  });
});
