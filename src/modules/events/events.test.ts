import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import {
  assignCorrespondence,
  createApiKey,
  createMailbox,
  createStructure,
  createValidMailbox,
  loaduserCsv,
  runImport,
  uniqueEmail,
  uniqueLocalPart,
  validRpps,
} from '../../../test/factories';
import { settleEventFeed } from '../../../test/event-feed';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';

/**
 * The event feed: one event per audited change, written with it, read in commit order with
 * `after`, scoped like the resources, kept for `BALISE_EVENTS_RETENTION_DAYS`.
 */
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({
    environment: { BALISE_EVENTS_RETENTION_DAYS: '30', BALISE_DIRECTORY_MAX_AGE_SECONDS: '0' },
  });
});
afterAll(() => test.close());

interface FeedEvent {
  id: string;
  type: string;
  structureId: string | null;
  subject: { type: string; id: string };
  mailboxId: string | null;
  actor: { type: string; id: string | null };
  data: Record<string, unknown> | null;
}
interface Feed {
  items: FeedEvent[];
  nextCursor: string | null;
  hasMore: boolean;
}

async function readFeed(query: Record<string, string | number> = {}, key = test.operatorKey): Promise<Feed> {
  const response = await test.http.get('/v1/events').query(query).set(bearer(key));
  if (response.status !== 200) throw new Error(`GET /v1/events: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Feed;
}

/** Every event after `after` committed so far, page by page, as a consumer reads them. */
async function readAll(query: Record<string, string> = {}, key = test.operatorKey, limit = 500) {
  await settleEventFeed(test);
  const events: FeedEvent[] = [];
  let after: string | undefined = query.after;
  for (;;) {
    const page = await readFeed({ ...query, limit, ...(after ? { after } : {}) }, key);
    events.push(...page.items);
    after = page.nextCursor ?? undefined;
    if (!page.hasMore) return { events, cursor: after };
  }
}

/** Where the feed ends now: a consumer starting here sees only what happens next. */
const feedEnd = async () => (await readAll()).cursor;

describe('GET /v1/events', () => {
  it('publishes each change of a box with the box after it, in order, and reads on from a cursor', async () => {
    const structure = await createStructure(test);
    const start = await feedEnd();
    const box = await createValidMailbox(test, structure.id);
    const { events, cursor } = await readAll({ ...(start ? { after: start } : {}) });

    expect(events.map((event) => event.type)).toEqual(['mailbox.registered', 'mailbox.validated']);
    const validated = events[1]!;
    expect(validated).toMatchObject({
      structureId: structure.id,
      subject: { type: 'mailbox', id: box.id },
      mailboxId: box.id,
      actor: { type: 'api_key' },
      data: { id: box.id, status: box.status, email: box.email },
    });
    const current = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(validated.data).toEqual(current.body);
    // Ids sort in feed order; nothing new: the cursor stays where it was.
    expect([...events.map((event) => event.id)].sort()).toEqual(events.map((event) => event.id));
    expect(await readFeed({ after: cursor! })).toEqual({ items: [], nextCursor: cursor, hasMore: false });
  });

  it('pages with hasMore, and filters by exact type and by prefix', async () => {
    const structure = await createStructure(test);
    const start = await feedEnd();
    for (let index = 0; index < 3; index += 1) await createMailbox(test, structure.id);
    await settleEventFeed(test);
    const first = await readFeed({ after: start!, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const rest = await readFeed({ after: first.nextCursor!, limit: 2 });
    expect(rest.items).toHaveLength(1);
    expect(rest.hasMore).toBe(false);

    const created = await readAll({ after: start!, type: 'mailbox.created' });
    expect(created.events).toHaveLength(3);
    const mailboxEvents = await readAll({ after: start!, type: 'structure.,mailbox.' });
    expect(mailboxEvents.events.map((event) => event.type)).toEqual(Array(3).fill('mailbox.created'));
  });

  it('refuses an unknown type or a malformed cursor with a problem naming the parameter', async () => {
    const unknown = await test.http
      .get('/v1/events?type=mailbox.created,mailbox.exploded')
      .set(bearer(test.operatorKey));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'type', code: 'UNKNOWN_EVENT_TYPE' })]);
    expect(unknown.body.detail).toContain('mailbox.exploded');
    const cursor = await test.http.get('/v1/events?after=42').set(bearer(test.operatorKey));
    expect(cursor.status).toBe(400);
  });

  it("shows an admin its structures' events only", async () => {
    const mine = await createStructure(test);
    const theirs = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [mine.id]);
    const start = await feedEnd();
    const myBox = await createMailbox(test, mine.id);
    await createMailbox(test, theirs.id);
    await createApiKey(test, 'reader', [mine.id]);

    const { events } = await readAll({ after: start! }, admin.key);
    expect(events.map((event) => [event.type, event.subject.id])).toEqual([['mailbox.created', myBox.id]]);
    await test.http.get(`/v1/events?structureId=${theirs.id}`).set(bearer(admin.key)).expect(404);
    // The operator sees all three, the key's creation (no structure) included.
    const all = await readAll({ after: start! });
    expect(all.events.map((event) => event.type)).toEqual(['mailbox.created', 'mailbox.created', 'api_key.created']);
  });

  it('publishes every box an import creates, set-based, then import.succeeded with the import', async () => {
    const structure = await createStructure(test);
    const start = await feedEnd();
    const rows = Array.from({ length: 10_000 }, (_, index) => ({
      A: uniqueEmail(`evt${index}`),
      B: 'Martin',
      C: `Lea ${index}`,
      D: validRpps(),
      S: 'PER',
    }));
    const done = await runImport(test, structure.id, loaduserCsv(rows));
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 10_000 } });

    const created = await readAll({ after: start!, type: 'mailbox.created', structureId: structure.id });
    expect(created.events).toHaveLength(10_000);
    expect(new Set(created.events.map((event) => event.mailboxId)).size).toBe(10_000);
    const ended = await readAll({ after: start!, type: 'import.' });
    expect(ended.events.map((event) => [event.type, event.subject.id])).toEqual([
      ['import.created', done.id],
      ['import.succeeded', done.id],
    ]);
    expect(ended.events[1]!.data).toMatchObject({ id: done.id, status: 'succeeded', counts: { created: 10_000 } });
  });

  it('publishes import.failed with the import when rows fail under onError=abort, and no box', async () => {
    const structure = await createStructure(test);
    const start = await feedEnd();
    const rows = [
      { A: uniqueEmail('ok'), B: 'Martin', C: 'Lea', D: validRpps(), S: 'PER' },
      { A: 'not-an-address', B: 'Martin', C: 'Paul', D: validRpps(), S: 'PER' },
    ];
    const done = await runImport(test, structure.id, loaduserCsv(rows), { onError: 'abort' });
    expect(done.status).toBe('failed');

    const { events } = await readAll({ after: start!, structureId: structure.id });
    expect(events.map((event) => [event.type, event.subject.id])).toEqual([
      ['import.created', done.id],
      ['import.failed', done.id],
    ]);
    expect(events[1]!.data).toMatchObject({ id: done.id, status: 'failed', error: { code: done.error!.code } });
  });

  it('publishes what the directory feed publishes, changes and withdraws, with the entry', async () => {
    const structure = await createStructure(test);
    const box = await createValidMailbox(test, structure.id, 'PER', { service: 'Cardiologie' });
    const { address } = (await assignCorrespondence(test, box.id, uniqueLocalPart('annuaire'))).current;
    const start = await feedEnd();
    const refreshDirectory = () => test.http.get('/v1/directory/entries').set(bearer(test.operatorKey)).expect(200);

    await refreshDirectory();
    await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(bearer(test.operatorKey))
      .send({ service: 'Pneumologie' })
      .expect(200);
    await refreshDirectory();
    await test.http.post(`/v1/mailboxes/${box.id}/deactivate`).set(bearer(test.operatorKey)).expect(200);
    await refreshDirectory();

    const { events } = await readAll({ after: start!, type: 'directory.' });
    expect(events.map((event) => [event.type, event.subject.id, event.mailboxId])).toEqual([
      ['directory.entry_published', address, box.id],
      ['directory.entry_changed', address, box.id],
      ['directory.entry_withdrawn', address, box.id],
    ]);
    expect(events[0]!.data).toMatchObject({ address, service: 'Cardiologie' });
    expect(events[1]!.data).toMatchObject({ address, service: 'Pneumologie' });
    expect(events[2]!.data).toBeNull();
  });

  it('forgets events past the retention in its daily purge', async () => {
    const structure = await createStructure(test);
    const start = await feedEnd();
    const old = await createMailbox(test, structure.id);
    const recent = await createMailbox(test, structure.id);
    await test.app.db.execute(
      sql`update events set occurred_at = now() - interval '31 days' where subject_id = ${old.id}`,
    );
    await test.app.scheduler.tick();
    await test.app.jobs.drain();

    const { events } = await readAll({ after: start! });
    expect(events.map((event) => event.subject.id)).toEqual([recent.id]);
    const [job] = await selectRows<{ status: string; result: { deleted: number } }>(
      test.app.db,
      sql`select status, result from jobs where name = 'events.purge'`,
    );
    expect(job).toEqual({ status: 'succeeded', result: { deleted: 1 } });
  });
});
