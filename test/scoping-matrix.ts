import { createScopingCast } from './factories';
import { bearer, createTestApp, type TestApp } from './harness';
import { securityTestsCallAsPeople, startPeopleProvider, type PeopleProvider } from './people-callers';

/**
 * Two structures, an admin and a reader of the first: whom every security test asks. The admin
 * and the reader are API keys, or, under `BALISE_TEST_CALLERS=people`, people signed in with an
 * OpenID Connect provider (their access tokens in `adminKey` and `readerKey`).
 */
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
export function useScopingCast(
  structure?: Record<string, unknown> | (() => Record<string, unknown>),
): () => ScopingCast {
  let cast: ScopingCast | undefined;
  let people: PeopleProvider | undefined;
  beforeAll(async () => {
    if (!securityTestsCallAsPeople) {
      const test = await createTestApp();
      cast = { test, ...(await createScopingCast(test, structure)) };
      return;
    }
    people = await startPeopleProvider();
    const test = await createTestApp({ environment: people.environment });
    const { mine, theirs } = await createScopingCast(test, structure);
    const adminKey = await people.personWithRole(test, mine, 'admin');
    const readerKey = await people.personWithRole(test, mine, 'reader');
    cast = { test, mine, theirs, adminKey, readerKey };
  });
  afterAll(async () => {
    await cast?.test.close();
    await people?.provider.close();
  });
  return () => cast!;
}

export interface RouteCall {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  path: string;
  body?: object;
  /** A multipart upload of one file, instead of a JSON body. */
  upload?: { field: string; content: Buffer; fileName: string };
}

/** One route of a matrix: its name, whether it writes, its success status, and the call on a fixture. */
export type ScopedRoute<Fixture> = [
  name: string,
  writes: boolean,
  success: number,
  call: (fixture: Fixture) => RouteCall,
];

export function sendCall(test: TestApp, call: RouteCall, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  if (call.upload) return request.attach(call.upload.field, call.upload.content, call.upload.fileName);
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

    it("hides another structure's resource (404), a reader's write being refused by role first (403)", async () => {
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

/** What each role gets on its own structure's resource and on another structure's. */
export interface RoleAnswers {
  admin: [own: number, other: number];
  reader: [own: number, other: number];
}
export type RoleTableRoute<Fixture> = [name: string, call: (fixture: Fixture) => RouteCall, answers: RoleAnswers];

/**
 * The matrix for routes whose answers do not follow the scoping pattern alone (operator-only
 * routes, rules answering before or after scoping, structure-level reads): each route states what
 * an admin and a reader of the first structure get on it and on the other. Every route needs a
 * key (401 problem+json, also for an unknown key); a refused request and any read leave the state
 * as arranged; `inspectAnswer` checks every answer to a key of the cast (e.g. that it shows nothing
 * of the other structure).
 */
export function describeRoleTable<Fixture>(options: {
  title: string;
  routes: RoleTableRoute<Fixture>[];
  context: () => ScopingCast;
  arrange: (structureId: string) => Promise<Fixture>;
  stateOf?: (fixture: Fixture) => Promise<unknown>;
  arrangedState?: (fixture: Fixture) => unknown;
  inspectAnswer?: (response: { status: number; text: string }, fixture: Fixture) => void;
}): void {
  const { routes, context, arrange } = options;
  const expectUnchanged = async (fixture: Fixture) => {
    if (options.stateOf && options.arrangedState)
      expect(await options.stateOf(fixture)).toEqual(options.arrangedState(fixture));
  };
  const expectAnswer = async (call: RouteCall, fixture: Fixture, key: string, status: number) => {
    const response = await sendCall(context().test, call, key);
    expect(response.status).toBe(status);
    options.inspectAnswer?.(response, fixture);
    // A refused request, and any read, leaves what was arranged.
    if (status >= 400 || call.method === 'get') await expectUnchanged(fixture);
  };
  describe.each(routes)(`%s ${options.title}`, (_name, call, answers) => {
    it('needs an API key (401, problem+json)', async () => {
      const fixture = await arrange(context().mine);
      const response = await sendCall(context().test, call(fixture)).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('UNAUTHENTICATED');
      await expectUnchanged(fixture);
    });

    it('refuses an unknown key (401)', async () => {
      const fixture = await arrange(context().mine);
      for (const key of ['blk_not-a-real-key', 'blk_not_a_key_at_all_0000000000']) {
        await sendCall(context().test, call(fixture), key).expect(401);
      }
      await expectUnchanged(fixture);
    });

    it(`answers an admin ${answers.admin[0]} on its structure, ${answers.admin[1]} on another`, async () => {
      const { mine, theirs, adminKey } = context();
      const own = await arrange(mine);
      await expectAnswer(call(own), own, adminKey, answers.admin[0]);
      const other = await arrange(theirs);
      await expectAnswer(call(other), other, adminKey, answers.admin[1]);
    });

    it(`answers a reader ${answers.reader[0]} on its structure, ${answers.reader[1]} on another`, async () => {
      const { mine, theirs, readerKey } = context();
      const own = await arrange(mine);
      await expectAnswer(call(own), own, readerKey, answers.reader[0]);
      const other = await arrange(theirs);
      await expectAnswer(call(other), other, readerKey, answers.reader[1]);
    });
  });
}
