import { recordAudit, systemActor } from '../../platform/audit/audit';
import { createMailbox, createStructure } from '../../../test/factories';
import { settleEventFeed } from '../../../test/event-feed';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';

/**
 * Several connections write at once only on PostgreSQL (PGlite has one): there, events commit in
 * another order than their sequence numbers were taken, and a reader with `after` must still get
 * each exactly once.
 *
 * The feed's horizon is the server's oldest running transaction, in any database: the other jest
 * worker's transactions may hold a committed event back for a moment, so the final reads wait for
 * it to pass (late is allowed; missed or repeated is not).
 */
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

let test: TestApp;
beforeAll(async () => {
  if (process.env.DATABASE_URL) test = await createTestApp();
});
afterAll(() => test?.close());

interface Feed {
  items: { id: string; type: string; structureId: string | null; subject: { id: string } }[];
  nextCursor: string | null;
  hasMore: boolean;
}
const readFeed = async (after: string | null): Promise<Feed> =>
  (
    await test.http
      .get('/v1/events')
      .query({ limit: 500, ...(after ? { after } : {}) })
      .set(bearer(test.operatorKey))
      .expect(200)
  ).body as Feed;

async function readOn(after: string | null): Promise<{ items: Feed['items']; cursor: string | null }> {
  const items: Feed['items'] = [];
  let cursor = after;
  for (;;) {
    const page = await readFeed(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!page.hasMore) return { items, cursor };
  }
}

describeOnPostgres('the event feed under concurrent writers', () => {
  it('holds back an event while an older transaction that wrote one is still open, then gives both in order', async () => {
    const structure = await createStructure(test);
    await settleEventFeed(test);
    const { cursor: start } = await readOn(null);
    let later: { id: string } | undefined;
    let seenWhileOpen: Feed['items'] = [];

    await test.app.db.transaction(async (tx) => {
      // This transaction takes its id first (its first write), and stays open while another commits.
      await recordAudit(tx, test.app.clock, systemActor('test'), {
        action: 'structure.updated',
        targetType: 'structure',
        targetId: structure.id,
        structureId: structure.id,
        after: { id: structure.id },
      });
      later = await createMailbox(test, structure.id);
      seenWhileOpen = (await readOn(start)).items;
    });

    expect(seenWhileOpen).toEqual([]);
    await settleEventFeed(test);
    const { items } = await readOn(start);
    expect(items.map((event) => [event.type, event.subject.id])).toEqual([
      ['structure.updated', structure.id],
      ['mailbox.created', later!.id],
    ]);
  });

  it('gives a reader polling with `after` every event exactly once while 4 writers create boxes', async () => {
    const structure = await createStructure(test);
    const { cursor: start } = await readOn(null);
    const created: string[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      for (let index = 0; index < 15; index += 1) created.push((await createMailbox(test, structure.id)).id);
    });
    const seen: string[] = [];
    const createdHere = (event: Feed['items'][number]) =>
      event.type === 'mailbox.created' && event.structureId === structure.id;
    const reader = (async () => {
      let cursor = start;
      while (writing) {
        const page = await readOn(cursor);
        seen.push(...page.items.filter(createdHere).map((event) => event.subject.id));
        cursor = page.cursor;
      }
      await settleEventFeed(test);
      const last = await readOn(cursor);
      seen.push(...last.items.filter(createdHere).map((event) => event.subject.id));
    })();
    await Promise.all(writers);
    writing = false;
    await reader;

    expect(created).toHaveLength(60);
    expect(seen).toHaveLength(60);
    expect([...seen].sort()).toEqual([...created].sort());
  });
});
