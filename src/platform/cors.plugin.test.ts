import { createTestApp, type TestApp } from '../../test/harness';

describe('CORS for browser front-ends', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({ environment: { BALISE_CORS_ORIGINS: 'https://admin.example.fr' } });
  });
  afterAll(() => test?.close());

  it('answers the preflight of an allowed origin, without a credential', async () => {
    const response = await test.http
      .options('/v1/structures')
      .set('origin', 'https://admin.example.fr')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type, idempotency-key')
      .expect(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://admin.example.fr');
    expect(response.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('exposes the headers a front-end reads, and says nothing to another origin', async () => {
    const allowed = await test.http
      .get('/v1/structures')
      .set('origin', 'https://admin.example.fr')
      .set('authorization', `Bearer ${test.operatorKey}`)
      .expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example.fr');
    expect(allowed.headers['access-control-expose-headers']).toMatch(
      /ETag.*Location.*X-Request-Id.*Idempotent-Replayed/,
    );
    const other = await test.http
      .get('/v1/structures')
      .set('origin', 'https://evil.example')
      .set('authorization', `Bearer ${test.operatorKey}`)
      .expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
