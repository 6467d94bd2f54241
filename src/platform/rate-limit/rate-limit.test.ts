import { sql } from 'drizzle-orm';
import supertest from 'supertest';
import { buildApp } from '../../app';
import { selectRows } from '../../db/database';
import { loadConfig } from '../../config/config';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, mailboxBody } from '../../../test/factories';
import { deleteStaleWindows } from './rate-limit-store';

let test: TestApp;
let structureId: string;
const LIMIT = 3;
beforeAll(async () => {
  test = await createTestApp({
    environment: { BALISE_PUBLIC_RATE_LIMIT: String(LIMIT), BALISE_PUBLIC_RATE_WINDOW_SECONDS: '600' },
  });
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const signUp = (http = test.http) => http.post('/v1/registrations').send(mailboxBody(structureId, 'PER'));

describe('rate limiting of the public routes', () => {
  it('answers 429 problems with Retry-After once an address used up its tries, whatever the outcome of each', async () => {
    // A refused request counts too: guessing is what the limit is for.
    await test.http.post('/v1/registrations').send({}).expect(400);
    for (let attempt = 2; attempt <= LIMIT; attempt += 1) {
      const allowed = await signUp().expect(201);
      expect(allowed.headers['x-ratelimit-remaining']).toBe(String(LIMIT - attempt));
    }
    const refused = await signUp().expect(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
  });

  it('counts each public route apart and leaves key-authenticated routes alone', async () => {
    const completions = await Promise.all(
      Array.from({ length: LIMIT }, () => test.http.post('/v1/registrations/complete').send({ token: 'x'.repeat(43) })),
    );
    expect(completions.map((response) => response.status)).toEqual(Array(LIMIT).fill(404));
    await test.http
      .post('/v1/registrations/complete')
      .send({ token: 'x'.repeat(43) })
      .expect(429);
    for (let attempt = 0; attempt <= LIMIT; attempt += 1) {
      await test.http
        .post('/v1/mailboxes')
        .set(bearer(test.operatorKey))
        .send(mailboxBody(structureId, 'MED'))
        .expect(201);
    }
  });

  it('holds across API processes sharing the database', async () => {
    const fresh = await createTestApp({
      environment: { BALISE_PUBLIC_RATE_LIMIT: '2', BALISE_PUBLIC_RATE_WINDOW_SECONDS: '600' },
    });
    const config = loadConfig({ BALISE_JOBS_ENABLED: 'false', LOG_LEVEL: 'silent', BALISE_PUBLIC_RATE_LIMIT: '2' });
    const second = await buildApp({ config, database: fresh.database, logger: false });
    await second.ready();
    try {
      const otherProcess = supertest(second.server);
      const structure = await createStructure(fresh);
      const body = () => mailboxBody(structure.id, 'PER');
      await fresh.http.post('/v1/registrations').send(body()).expect(201);
      await otherProcess.post('/v1/registrations').send(body()).expect(201);
      await fresh.http.post('/v1/registrations').send(body()).expect(429);
      await otherProcess.post('/v1/registrations').send(body()).expect(429);
    } finally {
      await second.close();
      await fresh.close();
    }
  });

  it('counts per client behind a trusted proxy, from X-Forwarded-For', async () => {
    const proxied = await createTestApp({
      environment: { BALISE_PUBLIC_RATE_LIMIT: '1', BALISE_TRUST_PROXY: '127.0.0.1, ::1' },
    });
    try {
      const structure = await createStructure(proxied);
      const from = (client: string) =>
        proxied.http.post('/v1/registrations').set('x-forwarded-for', client).send(mailboxBody(structure.id, 'PER'));
      await from('198.51.100.7').expect(201);
      await from('198.51.100.8').expect(201);
      await from('198.51.100.7').expect(429);
    } finally {
      await proxied.close();
    }
  });

  it('forgets the windows of clients gone for a day', async () => {
    await test.app.db.execute(sql`insert into rate_limit_windows (key, window_started_at, hits)
      values ('POST /old 192.0.2.1', now() - interval '25 hours', 3), ('POST /recent 192.0.2.1', now() - interval '2 hours', 1)`);
    expect(await deleteStaleWindows(test.app.db)).toBe(1);
    const keys = await selectRows<{ key: string }>(
      test.app.db,
      sql`select key from rate_limit_windows where key like '%192.0.2.1'`,
    );
    expect(keys.map((row) => row.key)).toEqual(['POST /recent 192.0.2.1']);
  });
});
