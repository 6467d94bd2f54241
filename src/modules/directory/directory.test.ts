import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createApiKey,
  createMailbox,
  createStructure,
  createValidMailbox,
  uniqueLocalPart,
  validRpps,
  type MailboxKind,
} from '../../../test/factories';
import { refreshDirectory } from './directory-refresh';

const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let test: TestApp;
let structure: { id: string; domains: string[] };
let finess: string;
let other: string;
const ids: Record<string, string> = {};

interface Entry {
  address: string;
  ansType: string;
  change: string;
  mailboxId: string;
  structureId: string;
  listeRouge: boolean;
  holderIdentifier: string;
  service: string | null;
  publishedAt: string;
  changedAt: string;
  withdrawnAt: string | null;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
  syncToken: string;
  refreshedAt: string | null;
}

const asOperator = () => bearer(test.operatorKey);
const act = (id: string, action: string) =>
  test.http.post(`/v1/mailboxes/${id}/${action}`).set(asOperator()).expect(200);

async function entries(query = '', key = test.operatorKey): Promise<Page> {
  return (await test.http.get(`/v1/directory/entries?limit=500${query}`).set(bearer(key)).expect(200)).body as Page;
}
const byMailbox = (page: Page) => Object.fromEntries(page.items.map((entry) => [entry.mailboxId, entry]));

async function addressed(name: string, type: MailboxKind, overrides: Record<string, unknown> = {}, valid = false) {
  const box = valid
    ? await createValidMailbox(test, structure.id, type, overrides)
    : await createMailbox(test, structure.id, type, overrides);
  await assignCorrespondence(test, box.id, uniqueLocalPart(name.toLowerCase()));
  ids[name] = box.id;
  return box.id;
}

beforeAll(async () => {
  test = await createTestApp({ clock, environment: { BALISE_DIRECTORY_MAX_AGE_SECONDS: '0' } });
  const created = await createStructure(test);
  structure = created;
  finess = (await test.http.get(`/v1/structures/${created.id}`).set(asOperator())).body.finess;
  other = (await createStructure(test)).id;
});
afterAll(() => test.close());

describe('the directory feed', () => {
  beforeAll(async () => {
    await addressed('validPer', 'PER', { rpps: '10000013994', service: 'Cardiologie', paperless: true }, true);
    await addressed('preregisteredOrg', 'ORG');
    await addressed('visibleEarly', 'PER', { directoryVisible: true });
    await addressed('hiddenValid', 'PER', { directoryVisible: false }, true);
    await addressed('intWithRpps', 'INT', { rpps: '10006122583' });
    await addressed('adeliOnly', 'PER', { rpps: null, adeli: '123456789' });
    // Excluded, each for its own reason.
    await addressed('testAccount', 'PER', { isTest: true });
    ids.med = (await createMailbox(test, structure.id, 'MED')).id;
    const pending = await test.http.post('/v1/registrations').send({
      structureId: structure.id,
      type: 'PER',
      email: `p.${Date.now()}@h.fr`,
      lastName: 'P',
      firstName: 'Q',
      rpps: validRpps(),
    });
    ids.pending = pending.body.id;
    // Pending and rejected boxes may hold no MSSanté address (domain/mailbox-status.ts): nothing to publish.
    const rejected = await test.http.post('/v1/registrations').send({
      structureId: structure.id,
      type: 'PER',
      email: `r.${Date.now()}@h.fr`,
      lastName: 'R',
      firstName: 'S',
      rpps: validRpps(),
    });
    ids.rejected = rejected.body.id;
    await act(ids.rejected!, 'reject');
    await addressed('deactivated', 'PER');
    await act(ids.deactivated!, 'deactivate');
    await addressed('deleted', 'PER');
    await test.http.delete(`/v1/mailboxes/${ids.deleted}`).set(asOperator()).expect(200);
    ids.noAddress = (await createValidMailbox(test, structure.id, 'PER')).id;
    await addressed('blockingInt', 'INT', { rpps: null });
    await addressed('blockingOrg', 'ORG', { responsible: null });
  });

  it('holds exactly the fed boxes with an address and no blocking issue, with the ANS fields', async () => {
    const page = await entries();
    const found = byMailbox(page);
    const published = ['validPer', 'preregisteredOrg', 'visibleEarly', 'hiddenValid', 'intWithRpps', 'adeliOnly'];
    expect(Object.keys(found).sort()).toEqual(published.map((name) => ids[name]).sort());
    expect(page.nextCursor).toBeNull();
    expect(found[ids.validPer!]).toMatchObject({
      ansType: 'PER',
      change: 'published',
      listeRouge: false,
      holderIdentifier: '810000013994',
      service: 'Cardiologie',
      paperless: 'O',
      structureId: structure.id,
      withdrawnAt: null,
      publishedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(found[ids.validPer!]!.address).toMatch(
      new RegExp(`^validper\\..+@${structure.domains[0]!.replaceAll('.', '\\.')}$`),
    );
    expect(found[ids.preregisteredOrg!]).toMatchObject({
      ansType: 'ORG',
      holderIdentifier: `1${finess}`,
      responsible: { lastName: 'Martin' },
    });
    expect(found[ids.intWithRpps!]).toMatchObject({
      ansType: 'PER',
      holderIdentifier: '810006122583',
      responsible: null,
    });
    expect(found[ids.adeliOnly!]).toMatchObject({ holderIdentifier: '0123456789' });
  });

  it('flags the liste rouge rather than leaving boxes out', async () => {
    const found = byMailbox(await entries());
    // Pre-registered boxes are unlisted until their user registers, unless made visible; a valid box can be hidden.
    expect(found[ids.preregisteredOrg!]!.listeRouge).toBe(true);
    expect(found[ids.visibleEarly!]!.listeRouge).toBe(false);
    expect(found[ids.hiddenValid!]!.listeRouge).toBe(true);
    expect(found[ids.validPer!]!.listeRouge).toBe(false);
  });

  it('pages in sequence order, every page carrying the same sync token', async () => {
    const all = await entries();
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/directory/entries?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await test.http.get(query).set(asOperator()).expect(200)).body as Page;
      expect(page.syncToken).toBe(all.syncToken);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items);
  });

  it('gives what was added, changed or withdrawn since a sync token, and nothing when nothing changed', async () => {
    const { syncToken } = await entries();
    expect((await entries(`&since=${syncToken}`)).items).toEqual([]);
    clock.advanceDays(1);
    await test.http
      .patch(`/v1/mailboxes/${ids.validPer}`)
      .set(asOperator())
      .send({ service: 'Pneumologie' })
      .expect(200);
    await act(ids.hiddenValid!, 'deactivate');
    const added = await addressed('added', 'APP');
    const changes = await entries(`&since=${syncToken}`);
    expect(changes.items.map((entry) => [entry.mailboxId, entry.change])).toEqual(
      expect.arrayContaining([
        [ids.validPer, 'published'],
        [ids.hiddenValid, 'withdrawn'],
        [added, 'published'],
      ]),
    );
    expect(changes.items).toHaveLength(3);
    const found = byMailbox(changes);
    expect(found[ids.validPer!]).toMatchObject({
      service: 'Pneumologie',
      publishedAt: '2026-03-02T09:00:00.000Z',
      changedAt: '2026-03-03T09:00:00.000Z',
    });
    expect(found[ids.hiddenValid!]).toMatchObject({ withdrawnAt: '2026-03-03T09:00:00.000Z' });
    // The full list no longer holds the withdrawn entry.
    expect(byMailbox(await entries())[ids.hiddenValid!]).toBeUndefined();
    expect((await entries(`&since=${changes.syncToken}`)).items).toEqual([]);
  });

  it('shows an address change as the old entry withdrawn and the new one published', async () => {
    const { syncToken } = await entries();
    const before = byMailbox(await entries())[ids.visibleEarly!]!.address;
    await assignCorrespondence(test, ids.visibleEarly!, uniqueLocalPart('renamed'));
    const changes = (await entries(`&since=${syncToken}`)).items;
    expect(changes.map((entry) => [entry.address === before ? 'old' : 'new', entry.change])).toEqual([
      ['new', 'published'],
      ['old', 'withdrawn'],
    ]);
  });

  it('withdraws a box that gets a blocking issue, and publishes it again once fixed', async () => {
    const { syncToken } = await entries();
    await test.http
      .patch(`/v1/mailboxes/${ids.preregisteredOrg}`)
      .set(asOperator())
      .send({ responsible: null })
      .expect(200);
    expect((await entries(`&since=${syncToken}`)).items.map((entry) => entry.change)).toEqual(['withdrawn']);
    clock.advanceDays(1);
    await test.http
      .patch(`/v1/mailboxes/${ids.preregisteredOrg}`)
      .set(asOperator())
      .send({ responsible: { lastName: 'Martin', firstName: 'Claire' } })
      .expect(200);
    const back = (await entries(`&since=${syncToken}`)).items;
    expect(back).toEqual([
      expect.objectContaining({ change: 'published', withdrawnAt: null, publishedAt: '2026-03-04T09:00:00.000Z' }),
    ]);
  });

  it('takes an ISO date-time as `since`', async () => {
    clock.advanceDays(1);
    const cut = clock.now().toISOString();
    await entries();
    clock.advanceDays(1);
    await test.http
      .patch(`/v1/mailboxes/${ids.intWithRpps}`)
      .set(asOperator())
      .send({ service: 'Urgences' })
      .expect(200);
    const changes = await entries(`&since=${encodeURIComponent(cut)}`);
    expect(changes.items.map((entry) => entry.mailboxId)).toEqual([ids.intWithRpps]);
  });

  it.each([
    ['garbage', 'SINCE_INVALID'],
    [Buffer.from('sync:999999').toString('base64url'), 'SYNC_TOKEN_UNKNOWN'],
    ['2026-13-45T00:00:00Z', 'SINCE_INVALID'],
  ])('refuses since=%s (400)', async (since, code) => {
    const refused = await test.http.get(`/v1/directory/entries?since=${since}`).set(asOperator()).expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'since', code });
  });

  it('refreshes on read only when older than the configured age', async () => {
    expect((await refreshDirectory(test.app.db, clock, { maxAgeSeconds: 0 })).refreshed).toBe(true);
    await test.http
      .patch(`/v1/mailboxes/${ids.validPer}`)
      .set(asOperator())
      .send({ service: 'Dermatologie' })
      .expect(200);
    expect(await refreshDirectory(test.app.db, clock, { maxAgeSeconds: 60 })).toMatchObject({
      refreshed: false,
      changed: 0,
    });
    clock.advanceDays(1);
    expect(await refreshDirectory(test.app.db, clock, { maxAgeSeconds: 60 })).toMatchObject({
      refreshed: true,
      changed: 1,
      added: 0,
      withdrawn: 0,
    });
  });

  it('runs as a periodic job too', async () => {
    await test.http
      .patch(`/v1/mailboxes/${ids.validPer}`)
      .set(asOperator())
      .send({ service: 'Radiologie' })
      .expect(200);
    const { syncToken } = (await test.http.get('/v1/directory/entries?limit=1').set(asOperator())).body as Page;
    await test.app.scheduler.tick();
    await test.app.jobs.drain();
    expect((await entries(`&since=${syncToken}`)).items).toEqual([]);
    expect(byMailbox(await entries())[ids.validPer!]!.service).toBe('Radiologie');
  });
});

describe('directory security', () => {
  it("needs a key, and shows admins and readers their structures' entries only", async () => {
    const theirs = await createMailbox(test, other, 'PER');
    await assignCorrespondence(test, theirs.id, uniqueLocalPart('theirs'));
    const admin = await createApiKey(test, 'admin', [structure.id]);
    const reader = await createApiKey(test, 'reader', [other]);
    await test.http.get('/v1/directory/entries').expect(401);
    const adminView = await entries('', admin.key);
    expect(adminView.items.length).toBeGreaterThan(0);
    expect(adminView.items.every((entry) => entry.structureId === structure.id)).toBe(true);
    expect((await entries('', reader.key)).items.map((entry) => entry.mailboxId)).toEqual([theirs.id]);
    await test.http.get(`/v1/directory/entries?structureId=${other}`).set(bearer(admin.key)).expect(404);
    expect((await entries(`&structureId=${other}`)).items.map((entry) => entry.mailboxId)).toEqual([theirs.id]);
  });
});
