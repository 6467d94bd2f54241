import { bearer } from '../../../test/harness';
import { loaduserCsv, runImport, uniqueDomain, uniqueEmail, validRpps } from '../../../test/factories';
import { describeRoleTable, useScopingCast, type RoleTableRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast(() => ({ domains: [uniqueDomain()] }));
const importOf: Record<string, string> = {};
const file = () => loaduserCsv([{ A: uniqueEmail(), B: 'Dupont', C: 'Jean', D: validRpps(), S: 'PER' }]);

beforeAll(async () => {
  const { test, mine, theirs } = cast();
  importOf[mine] = (await runImport(test, mine, file())).id;
  importOf[theirs] = (await runImport(test, theirs, file())).id;
});

/** Every route scoped to a structure, by the structure it is asked about. */
const routes: RoleTableRoute<string>[] = [
  [
    "reading the structure's imports",
    (structureId) => ({ method: 'get', path: `/v1/structures/${structureId}/imports` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
  [
    'reading an import',
    (structureId) => ({ method: 'get', path: `/v1/imports/${importOf[structureId]}` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
  [
    "reading an import's rows",
    (structureId) => ({ method: 'get', path: `/v1/imports/${importOf[structureId]}/rows` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
  [
    "reading an import's report",
    (structureId) => ({ method: 'get', path: `/v1/imports/${importOf[structureId]}/report?format=csv` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
  // An admin imports into its structures only, a reader into none (refused by role first).
  [
    'uploading an import',
    (structureId) => ({
      method: 'post',
      path: `/v1/structures/${structureId}/imports`,
      upload: { field: 'file', content: file(), fileName: 'a.csv' },
    }),
    { admin: [202, 404], reader: [403, 403] },
  ],
];

describeRoleTable({
  title: '(imports)',
  routes,
  context: cast,
  arrange: async (structureId) => structureId,
});

describe('the template', () => {
  it('needs a key, any role', async () => {
    const { test, readerKey } = cast();
    await test.http.get('/v1/imports/template').expect(401);
    await test.http.get('/v1/imports/template?format=csv').set(bearer(readerKey)).expect(200);
  });
});
