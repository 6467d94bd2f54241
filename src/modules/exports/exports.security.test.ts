import { bearer } from '../../../test/harness';
import { createMailbox } from '../../../test/factories';
import { useScopingCast } from '../../../test/scoping-matrix';

const cast = useScopingCast();
let theirEmail: string;
beforeAll(async () => {
  const { test, mine, theirs } = cast();
  theirEmail = (await createMailbox(test, theirs)).email;
  await createMailbox(test, mine);
});

describe.each(['mailboxes', 'deleted-mailboxes'])('exporting %s', (kind) => {
  const path = (structureId: string, format = 'csv') => `/v1/structures/${structureId}/${kind}/export?format=${format}`;

  it('needs a key', async () => {
    const { test, mine } = cast();
    await test.http.get(path(mine)).expect(401);
  });

  it('hides another structure (404, nothing of its data) and lets a reader export its own', async () => {
    const { test, mine, theirs, adminKey, readerKey } = cast();
    for (const key of [adminKey, readerKey]) {
      const refused = await test.http.get(path(theirs)).set(bearer(key)).expect(404);
      expect(refused.text).not.toContain(theirEmail);
    }
    const own = await test.http.get(path(mine)).set(bearer(readerKey)).expect(200);
    expect(own.text).not.toContain(theirEmail);
  });

  it('refuses an unknown format (400)', async () => {
    const { test, mine, adminKey } = cast();
    await test.http.get(path(mine, 'pdf')).set(bearer(adminKey)).expect(400);
  });
});
