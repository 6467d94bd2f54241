import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createScopingCast } from '../../../test/factories';

let test: TestApp;
let mine: string;
let theirs: string;
let adminKey: string;
let readerKey: string;
let theirEmail: string;
beforeAll(async () => {
  test = await createTestApp();
  ({ mine, theirs, adminKey, readerKey } = await createScopingCast(test));
  theirEmail = (await createMailbox(test, theirs)).email;
  await createMailbox(test, mine);
});
afterAll(() => test.close());

describe.each(['mailboxes', 'deleted-mailboxes'])('exporting %s', (kind) => {
  const path = (structureId: string, format = 'csv') => `/v1/structures/${structureId}/${kind}/export?format=${format}`;

  it('needs a key', async () => {
    await test.http.get(path(mine)).expect(401);
  });

  it('hides another structure (404, nothing of its data) and lets a reader export its own', async () => {
    for (const key of [adminKey, readerKey]) {
      const refused = await test.http.get(path(theirs)).set(bearer(key)).expect(404);
      expect(refused.text).not.toContain(theirEmail);
    }
    const own = await test.http.get(path(mine)).set(bearer(readerKey)).expect(200);
    expect(own.text).not.toContain(theirEmail);
  });

  it('refuses an unknown format (400)', async () => {
    await test.http.get(path(mine, 'pdf')).set(bearer(adminKey)).expect(400);
  });
});
