import { createScopingCast } from './factories';
import { bearer, createTestApp, type TestApp } from './harness';

/** Two structures, an admin and a reader of the first: whom every security test asks. */
export interface ScopingCast {
  test: TestApp;
  mine: string;
  theirs: string;
  adminKey: string;
  readerKey: string;
}

/**
 * Builds the app and the cast once for the test file (beforeAll, closed in afterAll) and gives
 * the tests a getter, since they are declared before beforeAll runs. `structure` is what both
 * structures are created with (a function for values that must differ, such as domains).
 */
export function useScopingCast(structure?: Record<string, unknown> | (() => Record<string, unknown>)): () => ScopingCast {
  let cast: ScopingCast | undefined;
  beforeAll(async () => {
    const test = await createTestApp();
    cast = { test, ...(await createScopingCast(test, structure)) };
  });
  afterAll(() => cast?.test.close());
  return () => cast!;
}

export interface RouteCall {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  path: string;
  body?: object;
}

/** One route of a matrix: its name, whether it writes, its success status, and the call on a fixture. */
export type ScopedRoute<Fixture> = [name: string, writes: boolean, success: number, call: (fixture: Fixture) => RouteCall];

export function sendCall(test: TestApp, call: RouteCall, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  return call.body ? request.send(call.body) : request;
}

/**
 * The security matrix every scoped route gets: 401 without a key; another structure's resource
 * is a 404 to an admin (a reader's write is refused by role first, 403) and stays unchanged; a
 * reader only reads; an admin of the structure gets through.
 */
export function describeScopingMatrix<Fixture>(options: {
  title: string;
  routes: ScopedRoute<Fixture>[];
  context: () => ScopingCast;
  /** Builds the resource the routes act on, in a structure. */
  arrange: (structureId: string) => Promise<Fixture>;
  /** What must not change when a request is refused, and its value as arranged. */
  stateOf: (fixture: Fixture) => Promise<unknown>;
  arrangedState: (fixture: Fixture) => unknown;
}): void {
  const { routes, context, arrange, stateOf, arrangedState } = options;
  describe.each(routes)(`%s ${options.title}`, (_name, writes, success, call) => {
    it('needs a key (401)', async () => {
      const { test, mine } = context();
      await sendCall(test, call(await arrange(mine))).expect(401);
    });

    it('hides another structure\'s resource (404), a reader\'s write being refused by role first (403)', async () => {
      const { test, theirs, adminKey, readerKey } = context();
      const fixture = await arrange(theirs);
      expect((await sendCall(test, call(fixture), adminKey)).status).toBe(404);
      expect((await sendCall(test, call(fixture), readerKey)).status).toBe(writes ? 403 : 404);
      expect(await stateOf(fixture)).toEqual(arrangedState(fixture));
    });

    it(writes ? 'keeps a reader read-only (403)' : 'lets a reader read', async () => {
      const { test, mine, readerKey } = context();
      const fixture = await arrange(mine);
      expect((await sendCall(test, call(fixture), readerKey)).status).toBe(writes ? 403 : 200);
      expect(await stateOf(fixture)).toEqual(arrangedState(fixture));
    });

    it('lets an admin of the structure through', async () => {
      const { test, mine, adminKey } = context();
      expect((await sendCall(test, call(await arrange(mine)), adminKey)).status).toBe(success);
    });
  });
}
