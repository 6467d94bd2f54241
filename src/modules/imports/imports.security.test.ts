import { bearer } from '../../../test/harness';
import { loaduserCsv, runImport, uniqueDomain, uniqueEmail, uploadImport, validRpps } from '../../../test/factories';
import { useScopingCast } from '../../../test/scoping-matrix';

const cast = useScopingCast(() => ({ domains: [uniqueDomain()] }));
const importOf: Record<string, string> = {};
const file = () => loaduserCsv([{ A: uniqueEmail(), B: 'Dupont', C: 'Jean', D: validRpps(), S: 'PER' }]);

beforeAll(async () => {
  const { test, mine, theirs } = cast();
  importOf[mine] = (await runImport(test, mine, file())).id;
  importOf[theirs] = (await runImport(test, theirs, file())).id;
});

/** Every read route scoped to a structure, by the structure it is asked about. */
const reads: [string, (structureId: string) => string][] = [
  ['the structure\'s imports', (structureId) => `/v1/structures/${structureId}/imports`],
  ['an import', (structureId) => `/v1/imports/${importOf[structureId]}`],
  ['an import\'s rows', (structureId) => `/v1/imports/${importOf[structureId]}/rows`],
  ['an import\'s report', (structureId) => `/v1/imports/${importOf[structureId]}/report?format=csv`],
];

describe.each(reads)('reading %s', (_name, pathOf) => {
  it('needs a key', async () => {
    const { test, mine } = cast();
    await test.http.get(pathOf(mine)).expect(401);
  });

  it('hides another structure\'s (404), and lets a reader of its own read', async () => {
    const { test, mine, theirs, adminKey, readerKey } = cast();
    await test.http.get(pathOf(theirs)).set(bearer(adminKey)).expect(404);
    await test.http.get(pathOf(theirs)).set(bearer(readerKey)).expect(404);
    await test.http.get(pathOf(mine)).set(bearer(readerKey)).expect(200);
  });
});

describe('uploading an import', () => {
  it('needs a key', async () => {
    const { test, mine } = cast();
    await test.http.post(`/v1/structures/${mine}/imports`).attach('file', file(), 'a.csv').expect(401);
  });

  it('lets an admin import into its structures only, and a reader into none', async () => {
    const { test, mine, theirs, adminKey, readerKey } = cast();
    await uploadImport(test, mine, file(), {}, adminKey).expect(202);
    await uploadImport(test, theirs, file(), {}, adminKey).expect(404);
    await uploadImport(test, mine, file(), {}, readerKey).expect(403);
    await uploadImport(test, theirs, file(), {}, readerKey).expect(403);
  });
});

describe('the template', () => {
  it('needs a key, any role', async () => {
    const { test, readerKey } = cast();
    await test.http.get('/v1/imports/template').expect(401);
    await test.http.get('/v1/imports/template?format=csv').set(bearer(readerKey)).expect(200);
  });
});
