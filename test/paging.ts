import type supertest from 'supertest';

/**
 * Every item of a list, read one page of `limit` at a time by following `nextCursor` through the
 * API, as a client pages: what keyset pagination must give without a gap or a repeat.
 */
export async function readAllPages<Item>(request: (cursor: string | undefined) => supertest.Test): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await request(cursor).expect(200);
    items.push(...(page.body.items as Item[]));
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
