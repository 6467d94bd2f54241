import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure } from '../../../test/factories';
import { PROBE, typedWordsOf, WALK } from './mailbox-search-page';

/**
 * A search reads a page one of several ways (mailbox-search-page.ts): every match ranked when few
 * boxes match, else the sort index walked tier by tier, or the GIN index when the walk does not
 * fill the page. The thresholds scale with the page: with `limit=1` (two rows read), more than
 * PROBE × 2 matches take the walks, and a tier whose boxes come after WALK × 2 others in the sort
 * order falls back. Paged one box at a time, every way must give the order one big page gives
 * (a page of 200 ranks every match). Then again once the table is analysed and the periodic job
 * has copied its statistics: they then send a frequent word straight to the walks, without the probe.
 */
let test: TestApp;
let structureId: string;
const ROWS_READ = 2; // limit=1, and one more row telling whether another page follows
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXY';

beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  const boxes: { lastName: string; firstName: string; service?: string }[] = [];
  // "maud" whole (rank 1) and only as a prefix (rank 0), spread over the name order, all in cardiology.
  for (let i = 0; i < 35; i += 1) {
    boxes.push({ lastName: `${letters[i % 25]}ernier`, firstName: 'Maud', service: 'Cardiologie' });
    boxes.push({
      lastName: `${letters[(i * 7) % 25]}ervais`,
      firstName: i % 2 ? 'Maude' : 'Maudeline',
      service: 'Cardiologie',
    });
  }
  for (let i = 0; i < 15; i += 1) boxes.push({ lastName: 'Yvert', firstName: `Xavier${letters[i]!.toLowerCase()}` });
  // "maud gervais": two boxes hold both words, one the words joined and one of them; all three rank 2.
  boxes.push({ lastName: 'Gervais', firstName: 'Maud' }, { lastName: 'Gervais', firstName: 'Maud' });
  boxes.push({ lastName: 'Maudgervais', firstName: 'Maud' });
  // Last in the name order, behind more than WALK × 2 boxes: walked by name, they are not reached.
  for (let i = 0; i < 22; i += 1)
    boxes.push({ lastName: i % 3 ? 'Zorro' : 'Zorrozi', firstName: `Paul${letters[i]!.toLowerCase()}` });
  for (const fields of boxes) await createMailbox(test, structureId, 'MED', fields);
}, 600_000);
afterAll(() => test.close());

async function page(q: string, sort: string, limit: number, cursor?: string) {
  const response = await test.http
    .get(
      `/v1/mailboxes?structureId=${structureId}&q=${encodeURIComponent(q)}&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    )
    .set(bearer(test.operatorKey))
    .expect(200);
  return response.body as { items: { id: string }[]; nextCursor: string | null };
}

async function pageByPage(q: string, sort: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const { items, nextCursor } = await page(q, sort, limit, cursor);
    seen.push(...items.map((item) => item.id));
    cursor = nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

describe.each([
  ['the probe', false],
  ['the table statistics', true],
])('a search read by the walks or the GIN index, page by page, chosen by %s', (_chooser, analysed) => {
  beforeAll(async () => {
    if (!analysed) return;
    await test.database.db.execute(sql`analyze mailboxes`);
    // The periodic job copies the statistics where a search reads them (search_term_shares).
    await test.app.scheduler.tick();
    await test.app.jobs.drain();
    const [maud] = await selectRows<{ share: number }>(
      test.app.db,
      sql`select share from search_term_shares where term = 'maud'`,
    );
    expect(maud?.share).toBeGreaterThan(1 / WALK);
  });

  it.each([
    ['one word, whole and as a prefix, walked', 'maud'],
    ['one word, only as a prefix', 'maude'],
    ['several words', 'maud cardio'],
    ['several words, all whole: the top tier first, then every match ranked', 'maud cardiologie'],
    ['one word whose boxes all come last by name', 'zorro'],
    ['a word typed twice, counted once', 'maud maud'],
  ])('%s: the same order as one big page, in every sort', async (_label, q) => {
    for (const sort of ['lastName', '-lastName', 'email', '-email', 'createdAt', '-createdAt']) {
      const all = (await page(q, sort, 200)).items.map((item) => item.id);
      // Enough matches that a page of one takes the walks, not the ranking of every match.
      expect(all.length).toBeGreaterThanOrEqual(PROBE * ROWS_READ);
      expect(await pageByPage(q, sort, 1)).toEqual(all);
    }
  });

  it('pages the same with a page size the statement holds as a constant (10)', async () => {
    for (const q of ['maud', 'maud cardio', 'maud cardiologie'])
      for (const sort of ['lastName', '-createdAt'])
        expect(await pageByPage(q, sort, 10)).toEqual((await page(q, sort, 200)).items.map((item) => item.id));
  });

  it.each([
    ['one word the API takes for two', 'zørro', 'zorro'],
    ['two words the API takes for one', 'ma²ud', 'ma ud'],
  ])('%s (%s): the pages of the same search typed plainly', async (_label, guessedWrong, typedPlainly) => {
    // The API guesses the word count to pick the statement (TypedWords); the database's unaccent folds
    // "ø" to "o" and "²" to a separator, which the guess does not: each statement must still find every page.
    expect(typedWordsOf(guessedWrong)).not.toBe(typedWordsOf(typedPlainly));
    for (const sort of ['lastName', '-createdAt']) {
      const all = (await page(typedPlainly, sort, 200)).items.map((item) => item.id);
      expect(all.length).toBeGreaterThanOrEqual(PROBE * ROWS_READ);
      expect(await pageByPage(guessedWrong, sort, 1)).toEqual(all);
      expect((await page(guessedWrong, sort, 200)).items.map((item) => item.id)).toEqual(all);
    }
  });

  it('reads into the top tier the boxes holding the words joined and one of them', async () => {
    // With limit=1 the top tier (three boxes) fills each page; the box named "Maudgervais" comes first
    // by descending name, so a tier that missed it would show a Gervais first.
    for (const sort of ['lastName', '-lastName']) {
      const all = (await page('maud gervais', sort, 200)).items.map((item) => item.id);
      expect(all.length).toBeGreaterThanOrEqual(3);
      expect(await pageByPage('maud gervais', sort, 1)).toEqual(all);
    }
  });

  it('ranks the whole word first when the walk falls back to the GIN index', async () => {
    const zorro = (await page('zorro', 'lastName', 200)).items.length;
    expect(zorro).toBeGreaterThanOrEqual(PROBE * ROWS_READ);
    const first = await page('zorro', 'lastName', 1);
    const firstBox = await test.http
      .get(`/v1/mailboxes/${first.items[0]!.id}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    // More than WALK × 2 boxes come before the Zorros by name: the walk read none of them.
    expect(WALK * ROWS_READ).toBeLessThan(85);
    expect(firstBox.body.lastName).toBe('Zorro');
  });
});
