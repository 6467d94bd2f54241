import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { assignCorrespondence, createApiKey, createMailbox, createStructure, validRpps } from '../../../test/factories';

let test: TestApp;
let structureId: string;
const rpps = validRpps();
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  await createMailbox(test, structureId, 'PER', {
    lastName: 'Lefèvre',
    firstName: 'Éloïse',
    rpps,
    email: 'eloise.lefevre@chu.example.fr',
  });
  await createMailbox(test, structureId, 'PER', {
    lastName: 'Dupont',
    firstName: 'Jean',
    email: 'jdupont@chu.example.fr',
  });
  await createMailbox(test, structureId, 'PER', {
    lastName: 'Dupuis',
    firstName: 'Anne',
    rpps: null,
    adeli: '751234567',
    email: 'a.dupuis@chu.example.fr',
  });
  await createMailbox(test, structureId, 'ORG', {
    lastName: 'Service Urgences',
    firstName: 'CHU',
    email: 'urgences@chu.example.fr',
  });
});
afterAll(() => test.close());

async function search(query: string): Promise<string[]> {
  const response = await test.http
    .get(`/v1/mailboxes?structureId=${structureId}&${query}`)
    .set(bearer(test.operatorKey))
    .expect(200);
  return response.body.items.map((item: { email: string }) => item.email);
}

describe('searching mailboxes', () => {
  it.each([
    ['a name without its accents', 'q=eloise', ['eloise.lefevre@chu.example.fr']],
    ['a name in capitals with accents', 'q=LEFÈV', ['eloise.lefevre@chu.example.fr']],
    ['a name prefix', 'q=dup', ['jdupont@chu.example.fr', 'a.dupuis@chu.example.fr']],
    ['last and first name together', 'q=dupont%20je', ['jdupont@chu.example.fr']],
    ['first name then last name', 'q=jean%20dupont', ['jdupont@chu.example.fr']],
    ['an RPPS', `q=${rpps}`, ['eloise.lefevre@chu.example.fr']],
    ['an ADELI prefix', 'q=75123', ['a.dupuis@chu.example.fr']],
    ['an e-mail prefix', 'q=URGENCES@', ['urgences@chu.example.fr']],
    ['nothing that matches', 'q=zzz', []],
  ])('finds %s', async (_label, query, expected) => {
    expect((await search(query)).sort()).toEqual([...expected].sort());
  });

  it('filters by type and status, and sorts', async () => {
    expect(await search('type=ORG')).toEqual(['urgences@chu.example.fr']);
    expect(await search('status=valid')).toEqual([]);
    expect(await search('sort=email&type=PER')).toEqual([
      'a.dupuis@chu.example.fr',
      'eloise.lefevre@chu.example.fr',
      'jdupont@chu.example.fr',
    ]);
    expect(await search('sort=-lastName&type=PER')).toEqual([
      'eloise.lefevre@chu.example.fr',
      'a.dupuis@chu.example.fr',
      'jdupont@chu.example.fr',
    ]);
  });

  it('walks several pages without skipping or repeating, even with inserts in between', async () => {
    const paged = await createStructure(test);
    for (let index = 0; index < 10; index += 1) {
      await createMailbox(test, paged.id, 'MED', {
        lastName: `Page${String(index).padStart(2, '0')}`,
        firstName: 'Test',
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/mailboxes?structureId=${paged.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await test.http.get(url).set(bearer(test.operatorKey)).expect(200);
      seen.push(...page.body.items.map((item: { lastName: string }) => item.lastName));
      cursor = page.body.nextCursor;
      pages += 1;
      // Someone adds boxes before and after the cursor while we page.
      if (pages === 2) {
        await createMailbox(test, paged.id, 'MED', { lastName: 'Page00a', firstName: 'Late' });
        await createMailbox(test, paged.id, 'MED', { lastName: 'Page99', firstName: 'Late' });
      }
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([
      ...Array.from({ length: 10 }, (_, index) => `Page${String(index).padStart(2, '0')}`),
      'Page99',
    ]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('finds a box by its MSSanté address, and no longer by a withdrawn one', async () => {
    const holder = await createStructure(test);
    const box = await createMailbox(test, holder.id, 'PER', { lastName: 'Adresse', firstName: 'Test' });
    const address = await assignCorrespondence(test, box.id, 'urgences.cardio');
    const inHolder = (query: string) =>
      test.http
        .get(`/v1/mailboxes?structureId=${holder.id}&${query}`)
        .set(bearer(test.operatorKey))
        .expect(200)
        .then((response) => response.body.items.map((item: { id: string }) => item.id));
    expect(await inHolder('q=urgences.car')).toEqual([box.id]);
    expect(await inHolder(`q=${encodeURIComponent(address.current.address)}`)).toEqual([box.id]);
    await test.http.delete(`/v1/mailboxes/${box.id}/correspondence`).set(bearer(test.operatorKey)).expect(200);
    expect(await inHolder('q=urgences.car')).toEqual([]);
  });

  it('walks the pages of a search in every sort order', async () => {
    const paged = await createStructure(test);
    const names = ['Martin', 'Martineau', 'Martinez', 'Marty', 'Martel', 'Maret', 'Dumartin'];
    for (const name of names) await createMailbox(test, paged.id, 'MED', { lastName: name, firstName: 'Paul' });
    for (const sort of ['lastName', '-lastName', 'email', '-createdAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/mailboxes?structureId=${paged.id}&q=mart&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await test.http.get(url).set(bearer(test.operatorKey)).expect(200);
        seen.push(...page.body.items.map((item: { lastName: string }) => item.lastName));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(['Martel', 'Martin', 'Martineau', 'Martinez', 'Marty']);
    }
  });

  it('searches only the structures an admin key holds', async () => {
    const own = await createStructure(test);
    const other = await createStructure(test);
    const mine = await createMailbox(test, own.id, 'MED', { lastName: 'Scopé', firstName: 'Mien' });
    await createMailbox(test, other.id, 'MED', { lastName: 'Scopé', firstName: 'Autre' });
    const admin = await createApiKey(test, 'admin', [own.id]);
    const found = await test.http.get('/v1/mailboxes?q=scope').set(bearer(admin.key)).expect(200);
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([mine.id]);
  });

  it('refuses a cursor from another sort order', async () => {
    const first = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&limit=1&sort=email`)
      .set(bearer(test.operatorKey));
    const mismatch = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&limit=1&sort=lastName&cursor=${first.body.nextCursor}`)
      .set(bearer(test.operatorKey))
      .expect(400);
    expect(mismatch.body.errors[0].field).toBe('cursor');
  });
});

describe('counting mailboxes', () => {
  it("gives the console's tabs per structure", async () => {
    const counted = await createStructure(test);
    const a = await createMailbox(test, counted.id);
    await createMailbox(test, counted.id, 'MED');
    const c = await createMailbox(test, counted.id, 'INT');
    await test.http.post(`/v1/mailboxes/${c.id}/deactivate`).set(bearer(test.operatorKey)).expect(200);
    await test.http.delete(`/v1/mailboxes/${a.id}`).set(bearer(test.operatorKey)).expect(200);
    const counts = await test.http
      .get(`/v1/mailboxes/counts?structureId=${counted.id}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(counts.body).toEqual({
      valid: 0,
      pending: 0,
      preregistered: 1,
      rejected: 0,
      deactivated: 1,
      emailChangeRequests: 0,
    });
  });

  it("counts only the caller's structures", async () => {
    const own = await createStructure(test);
    await createMailbox(test, own.id);
    const admin = await createApiKey(test, 'admin', [own.id]);
    const counts = await test.http.get('/v1/mailboxes/counts').set(bearer(admin.key)).expect(200);
    expect(counts.body.preregistered).toBe(1);
    await test.http.get(`/v1/mailboxes/counts?structureId=${structureId}`).set(bearer(admin.key)).expect(404);
  });
});
