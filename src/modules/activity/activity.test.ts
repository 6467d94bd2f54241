import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createApiKey,
  createMailbox,
  createStructure,
  createValidMailbox,
  reportMailboxActivity,
} from '../../../test/factories';

const clock = new ManualClock('2025-03-01T08:00:00.000Z');
let test: TestApp;
let structureId: string;
let other: string;
const ids: Record<string, string> = {};

interface DueItem {
  mailboxId: string;
  reason: string;
  dueAt: string;
}

const asOperator = () => bearer(test.operatorKey);
const activity = (query = '', key = test.operatorKey) =>
  test.http.get(`/v1/structures/${structureId}/activity${query}`).set(bearer(key));

beforeAll(async () => {
  test = await createTestApp({ clock });
  structureId = (await createStructure(test)).id;
  other = (await createStructure(test)).id;
  // A year ago: these boxes' last sign of life is their creation...
  ids.idle = (await createMailbox(test, structureId, 'PER')).id;
  ids.usedLater = (await createMailbox(test, structureId, 'PER')).id;
  clock.advanceDays(345);
  // ...unless they were used since.
  await reportMailboxActivity(test, ids.usedLater);
  ids.expiresSoon = (await createMailbox(test, structureId, 'INT', { expiresAt: '2026-02-20' })).id;
  ids.expiresLater = (await createMailbox(test, structureId, 'INT', { expiresAt: '2026-06-01' })).id;
  ids.valid = (await createValidMailbox(test, structureId, 'ORG')).id;
  ids.deactivated = (await createMailbox(test, structureId, 'APP')).id;
  await test.http.post(`/v1/mailboxes/${ids.deactivated}/deactivate`).set(asOperator()).expect(200);
  ids.deleted = (await createMailbox(test, structureId, 'MED')).id;
  await test.http.delete(`/v1/mailboxes/${ids.deleted}`).set(asOperator()).expect(200);
  await createMailbox(test, other, 'PER', { expiresAt: '2026-02-15' });
});
afterAll(() => test.close());

describe('structure activity', () => {
  it('counts boxes by status (all of them) and by type (not deleted)', async () => {
    const { counts } = (await activity().expect(200)).body;
    expect(counts).toEqual({
      total: 6,
      byStatus: { preregistered: 4, pending: 0, valid: 1, rejected: 0, deactivated: 1, deleted: 1 },
      byType: { PER: 2, MED: 0, INT: 2, ORG: 1, APP: 1 },
    });
  });

  it("lists the structure's latest changes, newest first", async () => {
    const { recentChanges } = (await activity('?limit=3').expect(200)).body;
    expect(
      recentChanges.map((change: { action: string; mailboxId: string }) => [change.action, change.mailboxId]),
    ).toEqual([
      ['mailbox.deleted', ids.deleted],
      ['mailbox.created', ids.deleted],
      ['mailbox.deactivated', ids.deactivated],
    ]);
    expect(recentChanges[0]).toMatchObject({
      targetType: 'mailbox',
      actor: { type: 'api_key' },
      occurredAt: '2026-02-09T08:00:00.000Z',
    });
  });

  it('lists boxes expiring within the window, and those the inactivity sweep deletes soon', async () => {
    const body = (await activity().expect(200)).body;
    expect(body.expiringSoon).toMatchObject({ withinDays: 30, hasMore: false });
    expect(body.expiringSoon.items.map((item: DueItem) => [item.mailboxId, item.reason, item.dueAt])).toEqual([
      [ids.expiresSoon, 'expiry', '2026-02-20T00:00:00.000Z'],
    ]);
    expect(body.dueForDeletion).toMatchObject({ withinDays: 30, hasMore: false });
    expect(body.dueForDeletion.items.map((item: DueItem) => [item.mailboxId, item.reason, item.dueAt])).toEqual([
      [ids.idle, 'inactivity', '2026-03-01T08:00:00.000Z'],
    ]);
    const wider = (await activity('?expiringWithinDays=120&deletionWithinDays=0&limit=1').expect(200)).body;
    expect(wider.expiringSoon).toMatchObject({ withinDays: 120, hasMore: true });
    expect(wider.expiringSoon.items.map((item: DueItem) => item.mailboxId)).toEqual([ids.expiresSoon]);
    expect(wider.dueForDeletion).toEqual({ withinDays: 0, items: [], hasMore: false });
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?expiringWithinDays=-1', 'expiringWithinDays'],
    ['?deletionWithinDays=400', 'deletionWithinDays'],
  ])('refuses %s (400)', async (query, field) => {
    const refused = await activity(query).expect(400);
    expect(refused.body.errors[0].field).toBe(field);
  });

  it('needs a key, hides other structures (404) and lets readers read', async () => {
    const reader = await createApiKey(test, 'reader', [structureId]);
    const outsider = await createApiKey(test, 'admin', [other]);
    await test.http.get(`/v1/structures/${structureId}/activity`).expect(401);
    await activity('', outsider.key).expect(404);
    await activity('', reader.key).expect(200);
    await test.http.get('/v1/structures/00000000-0000-4000-8000-000000000000/activity').set(asOperator()).expect(404);
  });
});
