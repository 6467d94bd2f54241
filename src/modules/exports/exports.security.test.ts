import { bearer } from '../../../test/harness';
import { createMailbox } from '../../../test/factories';
import { describeRoleTable, useScopingCast, type RoleTableRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();
let theirEmail: string;
beforeAll(async () => {
  const { test, mine, theirs } = cast();
  theirEmail = (await createMailbox(test, theirs)).email;
  await createMailbox(test, mine);
});

const path = (kind: string, structureId: string, format = 'csv') =>
  `/v1/structures/${structureId}/${kind}/export?format=${format}`;
const kinds = ['mailboxes', 'deleted-mailboxes'];

const routes: RoleTableRoute<string>[] = kinds.map((kind) => [
  kind,
  (structureId) => ({ method: 'get', path: path(kind, structureId) }),
  { admin: [200, 404], reader: [200, 404] },
]);

describeRoleTable({
  title: 'export',
  routes,
  context: cast,
  arrange: async (structureId) => structureId,
  // Nothing of another structure's data, whether the export is refused or of the caller's own.
  inspectAnswer: (response) => expect(response.text).not.toContain(theirEmail),
});

describe.each(kinds)('exporting %s', (kind) => {
  it('refuses an unknown format (400)', async () => {
    const { test, mine, adminKey } = cast();
    await test.http
      .get(path(kind, mine, 'pdf'))
      .set(bearer(adminKey))
      .expect(400);
  });
});
