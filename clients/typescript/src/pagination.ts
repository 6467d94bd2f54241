/** Any list of the API: a page of items and the cursor of the next page (null or absent on the last). */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** One call of a list operation for a cursor (undefined: the first page), as openapi-fetch answers it. */
export type PageFetcher<P> = (cursor: string | undefined) => Promise<{ data?: P }>;

/**
 * Every page of a list, following `nextCursor` until the last. The pages themselves, for a list
 * that says more than its items (the directory's `syncToken`); `paginate` gives the items.
 */
export async function* paginatePages<P extends Page<unknown>>(fetchPage: PageFetcher<P>): AsyncGenerator<P> {
  let cursor: string | undefined;
  do {
    const { data } = await fetchPage(cursor);
    if (data === undefined) return;
    yield data;
    cursor = data.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Every item of a list, page after page, fetched as the loop asks for them:
 *
 *     for await (const box of paginate((cursor) =>
 *       balise.GET('/v1/mailboxes', { params: { query: { structureId, cursor } } }))) { … }
 */
export async function* paginate<T>(fetchPage: PageFetcher<Page<T>>): AsyncGenerator<T> {
  for await (const page of paginatePages(fetchPage)) yield* page.items;
}
