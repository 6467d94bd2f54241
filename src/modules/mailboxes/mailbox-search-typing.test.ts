import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { assignCorrespondence, createApiKey, createMailbox, createStructure } from '../../../test/factories';

/** Searches as an administrator types them in the console: words in any order, prefixes, any punctuation. */
let test: TestApp;
let structureId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  const boxes: [string, 'PER' | 'MED' | 'ORG', Record<string, unknown>][] = [
    [
      'serviceBe',
      'ORG',
      {
        lastName: 'Service BE',
        firstName: 'IES Sud',
        description: 'Secrétariat des admissions',
        email: 'bureau.entrees@chu.example.fr',
      },
    ],
    ['dupontMoretti', 'PER', { lastName: 'Dupont-Moretti', firstName: 'Éric', email: 'edm@chu.example.fr' }],
    ['oConnor', 'PER', { lastName: "O'Connor", firstName: 'Siobhán', email: 'soc@chu.example.fr' }],
    [
      'dupont',
      'PER',
      {
        lastName: 'Dupont',
        firstName: 'Marie',
        service: 'Pédiatrie',
        organisationName: 'CHU de Nantes',
        email: 'mdupont@chu.example.fr',
      },
    ],
    ['dupontel', 'PER', { lastName: 'Dupontel', firstName: 'Albert', email: 'adupontel@chu.example.fr' }],
    ['leGall', 'MED', { lastName: 'Le Gall', firstName: 'Yann', email: 'ylg@chu.example.fr' }],
  ];
  for (const [name, type, fields] of boxes) ids[name] = (await createMailbox(test, structureId, type, fields)).id;
});
afterAll(() => test.close());

async function found(q: string, extra = ''): Promise<string[]> {
  const response = await test.http
    .get(`/v1/mailboxes?structureId=${structureId}&q=${encodeURIComponent(q)}${extra}`)
    .set(bearer(test.operatorKey))
    .expect(200);
  const names = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return response.body.items.map((item: { id: string }) => names.get(item.id) ?? item.id);
}

describe('searching mailboxes as an administrator types', () => {
  it.each([
    ['the whole name', 'Service BE', ['serviceBe']],
    ['its last word a prefix', 'Service B', ['serviceBe']],
    ['words in another order', 'be service', ['serviceBe']],
    ['a hyphenated name typed with a space', 'Dupont Moretti', ['dupontMoretti']],
    ['a hyphenated name in reverse', 'moretti dupont', ['dupontMoretti']],
    ['a hyphenated name with its hyphen', 'dupont-moretti', ['dupontMoretti']],
    ['an apostrophe left out', 'oconnor', ['oConnor']],
    ['an apostrophe typed', "O'Connor", ['oConnor']],
    ['an apostrophe left out, as a prefix, with the first name unaccented', 'siobhan ocon', ['oConnor']],
    ['a space left out', 'legall', ['leGall']],
    ['a space typed', 'le gall', ['leGall']],
    ['first and last name, one a prefix', 'dupont mar', ['dupont']],
    ['a service without its accent', 'pediat', ['dupont']],
    ['an organisation name', 'nantes', ['dupont']],
    ['a word of the description, in capitals without accents', 'SECRETARIAT', ['serviceBe']],
    ['an e-mail prefix', 'bureau.entrees@chu', ['serviceBe']],
    ['words that no single box holds', 'dupont yann', []],
  ])('finds %s', async (_label, q, expected) => {
    expect((await found(q)).sort()).toEqual([...expected].sort());
  });

  it('finds a box by its MSSanté address, typed in pieces', async () => {
    await assignCorrespondence(test, ids.oConnor!, 'cardio.soc');
    expect(await found('cardio soc')).toEqual(['oConnor']);
    expect(await found('cardio.so')).toEqual(['oConnor']);
  });

  it('puts whole words before prefixes, then follows the requested sort', async () => {
    // "dupont" is a whole word of Dupont and of Dupont-Moretti, only the beginning of Dupontel.
    expect(await found('dupont')).toEqual(['dupont', 'dupontMoretti', 'dupontel']);
    expect(await found('dupont', '&sort=-lastName')).toEqual(['dupontMoretti', 'dupont', 'dupontel']);
  });

  it('keeps what a box is found by in step with its changes', async () => {
    const box = await createMailbox(test, structureId, 'MED', { lastName: 'Ancien', firstName: 'Nom' });
    expect(await found('ancien')).toEqual([box.id]);
    await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(bearer(test.operatorKey))
      .send({ lastName: 'Nouveau', service: 'Urgences adultes' })
      .expect(200);
    expect(await found('ancien')).toEqual([]);
    expect(await found('nouveau urg')).toEqual([box.id]);
  });

  it.each([':*', "a:*&|!()'\\", "'", '\\', '!dupont', 'dupont | albert', '(dupont', "' or 1=1 --", '&&', '%_'])(
    'answers %j with a page, never an error',
    async (q) => {
      const response = await test.http
        .get(`/v1/mailboxes?structureId=${structureId}&q=${encodeURIComponent(q)}`)
        .set(bearer(test.operatorKey))
        .expect(200);
      expect(Array.isArray(response.body.items)).toBe(true);
    },
  );

  it('takes punctuation as a separator, not as an operator', async () => {
    expect((await found('!dupont')).sort()).toEqual(['dupont', 'dupontMoretti', 'dupontel']);
    // Not "dupont or albert": every word must be found.
    expect(await found('dupont | albert')).toEqual(['dupontel']);
    expect(await found(':*')).toEqual([]);
  });

  it('walks ranked pages without skipping or repeating, in every sort order', async () => {
    const paged = await createStructure(test);
    const whole = ['Martin Anne', 'Martin Bruno', 'Martin Chloé', 'Martin Denis', 'Martin Émile'];
    const prefixed = ['Martineau Paul', 'Martinez Jean', 'Martinet Luc', 'Martins Zoé'];
    for (const full of [...prefixed, ...whole]) {
      const [lastName, firstName] = full.split(' ');
      await createMailbox(test, paged.id, 'MED', { lastName, firstName });
    }
    for (const sort of ['lastName', '-lastName', 'email', '-createdAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/mailboxes?structureId=${paged.id}&q=martin&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await test.http.get(url).set(bearer(test.operatorKey)).expect(200);
        seen.push(
          ...page.body.items.map(
            (item: { lastName: string; firstName: string }) => `${item.lastName} ${item.firstName}`,
          ),
        );
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(whole.length + prefixed.length);
      expect(new Set(seen).size).toBe(seen.length);
      // Every whole-word match comes before any prefix match, whatever the sort.
      expect(seen.slice(0, whole.length).sort()).toEqual([...whole].sort());
      expect(seen.slice(whole.length).sort()).toEqual([...prefixed].sort());
    }
    const byName = await test.http
      .get(`/v1/mailboxes?structureId=${paged.id}&q=martin&sort=-lastName&limit=50`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(byName.body.items.map((item: { firstName: string }) => item.firstName)).toEqual([
      'Émile',
      'Denis',
      'Chloé',
      'Bruno',
      'Anne',
      'Zoé',
      'Jean',
      'Luc',
      'Paul',
    ]);
  });

  it("refuses a list's cursor in a search", async () => {
    const list = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&limit=1`)
      .set(bearer(test.operatorKey))
      .expect(200);
    const response = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&limit=1&q=dupont&cursor=${list.body.nextCursor}`)
      .set(bearer(test.operatorKey))
      .expect(400);
    expect(response.body.errors[0].field).toBe('cursor');
  });

  it('refuses a search cursor whose rank is not a count', async () => {
    const page = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&limit=1&q=dupont`)
      .set(bearer(test.operatorKey))
      .expect(200);
    const [sort, , ...key] = JSON.parse(Buffer.from(page.body.nextCursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify([sort, 'x', ...key]), 'utf8').toString('base64url');
    const response = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&limit=1&q=dupont&cursor=${forged}`)
      .set(bearer(test.operatorKey))
      .expect(400);
    expect(response.body.errors[0].field).toBe('cursor');
  });

  it("never finds another structure's boxes", async () => {
    const own = await createStructure(test);
    const mine = await createMailbox(test, own.id, 'ORG', { lastName: 'Service BE', firstName: 'Mien' });
    const admin = await createApiKey(test, 'admin', [own.id]);
    for (const q of ['Service BE', 'service b', 'dupont', 'oconnor']) {
      const response = await test.http
        .get(`/v1/mailboxes?q=${encodeURIComponent(q)}`)
        .set(bearer(admin.key))
        .expect(200);
      expect(response.body.items.map((item: { id: string }) => item.id)).toEqual(
        q.toLowerCase().startsWith('service') ? [mine.id] : [],
      );
    }
    await test.http.get(`/v1/mailboxes?structureId=${structureId}&q=dupont`).set(bearer(admin.key)).expect(404);
  });
});
