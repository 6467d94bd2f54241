import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createMailbox, createStructure, reportMailboxActivity } from '../../../test/factories';

const clock = new ManualClock('2026-06-01T08:00:00.000Z');
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ clock });
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const getBox = (id: string) => test.http.get(`/v1/mailboxes/${id}`).set(asOperator()).expect(200);
const minutesAgo = (minutes: number) => new Date(clock.now().getTime() - minutes * 60_000).toISOString();

describe('recording mailbox activity', () => {
  it('records the time, only ever forward, a future time counting as now; neither audited nor changing the ETag', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id);
    const before = await getBox(box.id);

    await test.http.post(`/v1/mailboxes/${box.id}/activity`).set(asOperator()).expect(204);
    expect((await getBox(box.id)).body.lastActivityAt).toBe(clock.now().toISOString());
    await reportMailboxActivity(test, box.id, minutesAgo(60 * 24));
    expect((await getBox(box.id)).body.lastActivityAt).toBe(clock.now().toISOString());

    clock.advanceDays(1);
    await reportMailboxActivity(test, box.id, new Date(clock.now().getTime() + 10 * 86_400_000).toISOString());
    const after = await getBox(box.id);
    expect(after.body.lastActivityAt).toBe(clock.now().toISOString());
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(after.body.updatedAt).toBe(before.body.updatedAt);
    const events = await test.http.get(`/v1/audit-events?mailboxId=${box.id}`).set(asOperator());
    expect(events.body.items.map((event: { action: string }) => event.action)).toEqual(['mailbox.created']);
  });

  it('keeps the latest of 50 concurrent reports, each answered 204', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id);
    const instants = Array.from({ length: 50 }, (_, index) => minutesAgo(((index * 37) % 50) + 1));
    const responses = await Promise.all(
      instants.map((at) => test.http.post(`/v1/mailboxes/${box.id}/activity`).set(asOperator()).send({ at })),
    );
    expect(responses.map((response) => response.status)).toEqual(instants.map(() => 204));
    expect((await getBox(box.id)).body.lastActivityAt).toBe(minutesAgo(1));
  });

  it('refuses activity on a deleted box (409) and leaves it unchanged', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const refused = await test.http.post(`/v1/mailboxes/${box.id}/activity`).set(asOperator()).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'deleted' });
    expect((await getBox(box.id)).body.lastActivityAt).toBeNull();
  });

  it.each([
    ['a time that is not a date-time', { at: 'yesterday' }, 'at'],
    ['an unknown field', { when: '2026-01-01T00:00:00Z' }, 'when'],
  ])('refuses %s (400)', async (_case, body, field) => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id);
    const refused = await test.http.post(`/v1/mailboxes/${box.id}/activity`).set(asOperator()).send(body).expect(400);
    expect(JSON.stringify(refused.body.errors)).toContain(field);
    expect((await getBox(box.id)).body.lastActivityAt).toBeNull();
  });
});

describe('what falls due', () => {
  let structureId: string;
  let expiringSoon: string;
  let expiringLater: string;
  let idle: string;
  beforeAll(async () => {
    structureId = (await createStructure(test)).id;
    idle = (await createMailbox(test, structureId)).id;
    clock.advanceDays(345);
    const inDays = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
    expiringSoon = (await createMailbox(test, structureId, 'PER', { expiresAt: inDays(10) })).id;
    expiringLater = (await createMailbox(test, structureId, 'PER', { expiresAt: inDays(40) })).id;
  });

  const upcoming = (query: string, key = test.operatorKey) =>
    test.http.get(`/v1/lifecycle/upcoming?structureId=${structureId}&${query}`).set(bearer(key));

  it('lists expiries and inactivity deletions within the window, soonest first', async () => {
    const response = await upcoming('withinDays=30').expect(200);
    expect(
      response.body.items.map((item: { mailboxId: string; reason: string }) => [item.mailboxId, item.reason]),
    ).toEqual([
      [expiringSoon, 'expiry'],
      [idle, 'inactivity'],
    ]);
    const [expiry, deletion] = response.body.items;
    expect(expiry.dueAt).toBe(`${expiry.expiresAt}T00:00:00.000Z`);
    expect(new Date(deletion.dueAt).getTime() - new Date(deletion.lastSignOfLifeAt).getTime()).toBe(365 * 86_400_000);

    const wider = await upcoming('withinDays=60').expect(200);
    expect(wider.body.items.map((item: { mailboxId: string }) => item.mailboxId)).toEqual([
      expiringSoon,
      idle,
      expiringLater,
    ]);
    const expiries = await upcoming('withinDays=60&reason=expiry').expect(200);
    expect(expiries.body.items.map((item: { mailboxId: string }) => item.mailboxId)).toEqual([
      expiringSoon,
      expiringLater,
    ]);
  });

  it('pages with a cursor without skipping or repeating', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { mailboxId: string }[]; nextCursor: string | null } } = await upcoming(
        `withinDays=60&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...page.body.items.map((item) => item.mailboxId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([expiringSoon, idle, expiringLater]);
    await upcoming('cursor=bm90LWEtY3Vyc29y').expect(400);
  });

  it('shows each caller its own structures only', async () => {
    const readerKey = (await createApiKey(test, 'reader', [structureId])).key;
    expect((await upcoming('withinDays=30', readerKey).expect(200)).body.items).toHaveLength(2);
    const elsewhere = (await createStructure(test)).id;
    const strangerKey = (await createApiKey(test, 'admin', [elsewhere])).key;
    await upcoming('withinDays=30', strangerKey).expect(404);
    const own = await test.http.get('/v1/lifecycle/upcoming?withinDays=60').set(bearer(strangerKey)).expect(200);
    expect(own.body.items).toEqual([]);
  });
});
