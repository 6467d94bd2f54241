import { bearer, createTestApp, type TestApp } from '../../test/harness';
import { createMailbox, createStructure } from '../../test/factories';

const PROBLEM = /^application\/problem\+json/;

describe('HTTP semantics (default settings)', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  it('serves the /docs page and its assets without credentials', async () => {
    const page = await test.http.get('/docs').redirects(1).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const script = await test.http.get('/docs/static/swagger-initializer.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    const bundle = await test.http.get('/docs/static/swagger-ui-bundle.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
  });

  it('answers a known path asked with another method 405 with Allow', async () => {
    const structure = await createStructure(test);
    const response = await test.http.put(`/v1/structures/${structure.id}`).set(bearer(test.operatorKey)).expect(405);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(response.headers.allow).toBe('DELETE, GET, HEAD, PATCH');

    const health = await test.http.post('/health/live').expect(405);
    expect(health.headers.allow).toBe('GET, HEAD');
  });

  it('still answers an unknown path 404', async () => {
    const response = await test.http.put('/v1/nowhere/at-all').expect(404);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.code).toBe('ROUTE_NOT_FOUND');
    expect(response.headers.allow).toBeUndefined();
  });

  it('answers a body in a type the route does not read 415', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const response = await test.http
        .post('/v1/structures')
        .set(bearer(test.operatorKey))
        .set('Content-Type', type)
        .send('name=x')
        .expect(415);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it.each(['mailbox', 'structure'] as const)(
    'answers a GET of a %s whose ETag If-None-Match names 304 without a body',
    async (kind) => {
      const structure = await createStructure(test);
      const path =
        kind === 'structure'
          ? `/v1/structures/${structure.id}`
          : `/v1/mailboxes/${(await createMailbox(test, structure.id)).id}`;
      const first = await test.http.get(path).set(bearer(test.operatorKey)).expect(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"\d+"$/);

      for (const header of [etag, `W/${etag}`, `"999999", ${etag}`, '*']) {
        const cached = await test.http.get(path).set(bearer(test.operatorKey)).set('If-None-Match', header).expect(304);
        expect(cached.headers.etag).toBe(etag);
        expect(cached.text ?? '').toBe('');
        expect(cached.headers['content-length']).toBeUndefined();
      }
      const changed = await test.http
        .get(path)
        .set(bearer(test.operatorKey))
        .set('If-None-Match', '"999999"')
        .expect(200);
      expect(changed.body.id).toBe(first.body.id);
      // Without credentials the 401 comes first, whatever If-None-Match says.
      await test.http.get(path).set('If-None-Match', etag).expect(401);
    },
  );

  it('leaves PATCH and DELETE without If-Match unconditional by default', async () => {
    const structure = await createStructure(test);
    const mailbox = await createMailbox(test, structure.id);
    await test.http
      .patch(`/v1/mailboxes/${mailbox.id}`)
      .set(bearer(test.operatorKey))
      .send({ lastName: 'Durand' })
      .expect(200);
    await test.http.delete(`/v1/mailboxes/${mailbox.id}`).set(bearer(test.operatorKey)).expect(200);
    await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(bearer(test.operatorKey))
      .send({ name: 'Renamed' })
      .expect(200);
  });

  it('documents 428 on the versioned writes, and nowhere else', async () => {
    const contract = (await test.http.get('/openapi.json').expect(200)).body;
    expect(contract.paths['/v1/mailboxes/{mailboxId}'].patch.responses['428']).toBeDefined();
    expect(contract.paths['/v1/structures/{structureId}'].delete.responses['428']).toBeDefined();
    expect(contract.paths['/v1/mailboxes'].post.responses['428']).toBeUndefined();
  });
});

describe('HTTP semantics with BALISE_REQUIRE_IF_MATCH=true', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({ environment: { BALISE_REQUIRE_IF_MATCH: 'true' } });
  });
  afterAll(() => test.close());

  it('refuses a PATCH or DELETE without If-Match with 428, and takes it with one', async () => {
    const structure = await createStructure(test);
    const mailbox = await createMailbox(test, structure.id);
    const missing = await test.http
      .patch(`/v1/mailboxes/${mailbox.id}`)
      .set(bearer(test.operatorKey))
      .send({ lastName: 'Durand' })
      .expect(428);
    expect(missing.headers['content-type']).toMatch(PROBLEM);
    expect(missing.body).toMatchObject({ status: 428, code: 'PRECONDITION_REQUIRED' });
    await test.http.delete(`/v1/mailboxes/${mailbox.id}`).set(bearer(test.operatorKey)).expect(428);
    await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(bearer(test.operatorKey))
      .send({ name: 'X' })
      .expect(428);

    const read = await test.http.get(`/v1/mailboxes/${mailbox.id}`).set(bearer(test.operatorKey)).expect(200);
    const patched = await test.http
      .patch(`/v1/mailboxes/${mailbox.id}`)
      .set(bearer(test.operatorKey))
      .set('If-Match', read.headers.etag as string)
      .send({ lastName: 'Durand' })
      .expect(200);
    await test.http
      .delete(`/v1/mailboxes/${mailbox.id}`)
      .set(bearer(test.operatorKey))
      .set('If-Match', read.headers.etag as string)
      .expect(412);
    await test.http
      .delete(`/v1/mailboxes/${mailbox.id}`)
      .set(bearer(test.operatorKey))
      .set('If-Match', patched.headers.etag as string)
      .expect(200);
    const structureRead = await test.http.get(`/v1/structures/${structure.id}`).set(bearer(test.operatorKey));
    await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(bearer(test.operatorKey))
      .set('If-Match', structureRead.headers.etag as string)
      .send({ name: 'Renamed' })
      .expect(200);
  });

  it('keeps a resource the caller cannot see a 404, not a 428', async () => {
    const response = await test.http
      .patch('/v1/mailboxes/00000000-0000-4000-8000-000000000000')
      .set(bearer(test.operatorKey))
      .send({ lastName: 'Durand' })
      .expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('asks nothing of the writes that are not versioned', async () => {
    const structure = await createStructure(test);
    const mailbox = await createMailbox(test, structure.id);
    // An action on a mailbox honours If-Match when sent, but is a POST: the setting is about PATCH and DELETE.
    await test.http.post(`/v1/mailboxes/${mailbox.id}/deactivate`).set(bearer(test.operatorKey)).expect(200);
  });
});
