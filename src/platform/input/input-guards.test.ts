import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, mailboxBody, validFiness } from '../../../test/factories';
import { sendBytes } from '../../../test/raw-request';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const PROBLEM = /^application\/problem\+json/;
const count = async (table: 'structures' | 'mailboxes') =>
  (
    await selectRows<{ count: number }>(test.app.db, sql`select count(*)::int as count from ${sql.identifier(table)}`)
  )[0]!.count;
const structureBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Clinique du Parc',
  finess: validFiness(),
  domains: [],
  ...overrides,
});

describe('text PostgreSQL cannot store', () => {
  it('refuses a NUL character in a body field with 400, naming the field, and stores nothing', async () => {
    const before = await count('mailboxes');
    const response = await test.http
      .post('/v1/mailboxes')
      .set(bearer(test.operatorKey))
      .send(mailboxBody(structureId, 'PER', { lastName: 'Du\u0000pont' }))
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'lastName', code: 'TEXT_NUL_CHARACTER' }],
    });
    expect(await count('mailboxes')).toBe(before);
  });

  it('refuses a NUL character nested in an array or in an object key', async () => {
    const inArray = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send(structureBody({ domains: ['a.mssante.fr', 'b\u0000.mssante.fr'] }))
      .expect(400);
    expect(inArray.body.errors).toEqual([expect.objectContaining({ field: 'domains.1', code: 'TEXT_NUL_CHARACTER' })]);
    const inKey = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send({ ...structureBody(), 'x\u0000': 1 })
      .expect(400);
    expect(inKey.body.errors).toContainEqual(expect.objectContaining({ field: 'x\u0000', code: 'TEXT_NUL_CHARACTER' }));
  });

  it.each([
    ['q of the mailbox search', '/v1/mailboxes?q=Du%00pont', 'q'],
    ['q of the structure search', '/v1/structures?q=a%00', 'q'],
    ['action of the audit trail', '/v1/audit-events?action=mailbox.%00', 'action'],
  ])('refuses a NUL character in %s with 400 naming the parameter', async (_label, url, field) => {
    const response = await test.http.get(url).set(bearer(test.operatorKey)).expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.errors).toEqual([{ field, code: 'TEXT_NUL_CHARACTER', message: expect.any(String) }]);
    expect(response.body.detail).toBe('The query string holds text that cannot be stored');
  });

  it('refuses an unpaired surrogate sent as a JSON escape instead of storing U+FFFD', async () => {
    const before = await count('structures');
    const response = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .set('content-type', 'application/json')
      .send(`{"name":"Clinique \\ud800","finess":"${validFiness()}","domains":[]}`)
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'TEXT_LONE_SURROGATE' })]);
    expect(await count('structures')).toBe(before);
  });

  it('still accepts characters outside the BMP (a well-formed surrogate pair)', async () => {
    await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send(structureBody({ name: 'Clinique 𝄞 \ud83c\udfe5' }))
      .expect(201);
  });

  it.each([
    ['a byte that is never UTF-8 (0xFF)', Buffer.from([0xff])],
    ['an unpaired surrogate encoded as bytes (ED A0 80)', Buffer.from([0xed, 0xa0, 0x80])],
    ['a truncated sequence (C3 then a quote)', Buffer.from([0xc3])],
  ])('refuses a JSON body holding %s with 400 instead of storing U+FFFD', async (_label, bytes) => {
    const before = await count('structures');
    const body = Buffer.concat([
      Buffer.from('{"name":"Clinique '),
      bytes,
      Buffer.from(`","finess":"${validFiness()}","domains":[]}`),
    ]);
    const response = await sendBytes(
      test,
      'POST',
      '/v1/structures',
      { ...bearer(test.operatorKey), 'content-type': 'application/json' },
      body,
    );
    expect(response.status).toBe(400);
    expect(response.contentType).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'body', code: 'INVALID_UTF8' }] });
    expect(await count('structures')).toBe(before);
  });

  it("keeps the JSON parser's protection against prototype poisoning", async () => {
    const response = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .set('content-type', 'application/json')
      .send('{"name":"x","domains":[],"__proto__":{"isAdmin":true}}')
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
  });

  it('refuses a body nested deeper than any route takes, without overflowing the stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const response = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .set('content-type', 'application/json')
      .send(deep)
      .expect(400);
    expect(response.body.errors[0]).toMatchObject({ code: 'NESTED_TOO_DEEPLY' });
    expect(response.body.detail).toBe('The body is nested too deeply');
  });
});

describe('numbers beyond a column', () => {
  it.each([
    ['99999999999999999999', '99999999999999999999'],
    ['1e400 (Infinity once parsed)', '1e400'],
    ['one above the largest integer column value', '2147483648'],
  ])('refuses a quota of %s with 400 naming it, and stores nothing', async (_label, literal) => {
    const before = await count('structures');
    const response = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .set('content-type', 'application/json')
      .send(`{"name":"Quotas","domains":[],"quotas":{"personal":${literal},"organisational":null,"applicative":null}}`)
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'quotas.personal' }));
    expect(await count('structures')).toBe(before);
    const patched = await test.http
      .patch(`/v1/structures/${structureId}`)
      .set(bearer(test.operatorKey))
      .set('content-type', 'application/json')
      .send(`{"quotas":{"personal":null,"organisational":${literal},"applicative":null}}`)
      .expect(400);
    expect(patched.body.errors).toContainEqual(expect.objectContaining({ field: 'quotas.organisational' }));
  });

  it('accepts the largest quota an integer column holds', async () => {
    const created = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send(structureBody({ quotas: { personal: 2_147_483_647, organisational: 0, applicative: null } }))
      .expect(201);
    expect(created.body.quotas.personal).toBe(2_147_483_647);
  });

  it('refuses a page size of 1e400 in a query with 400', async () => {
    const response = await test.http.get('/v1/structures?limit=1e400').set(bearer(test.operatorKey)).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});

describe('what the router refuses before any route', () => {
  it('answers an id longer than 100 characters with a 400 problem', async () => {
    const response = await test.http
      .get(`/v1/structures/${'a'.repeat(101)}`)
      .set(bearer(test.operatorKey))
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'path', code: 'PARAM_TOO_LONG' }] });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it.each(['/v1/structures/%FF', '/v1/%FF/anything?q=1', '/v1/mailboxes/%C3'])(
    'answers %s, not percent-encoded UTF-8, with a 400 problem',
    async (url) => {
      const response = await test.http.get(url).set(bearer(test.operatorKey)).expect(400);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'path', code: 'PATH_ENCODING' }] });
    },
  );

  it('refuses a NUL character decoded from a path parameter, naming it', async () => {
    const response = await test.http.get('/v1/structures/a%00b').set(bearer(test.operatorKey)).expect(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'structureId', code: 'TEXT_NUL_CHARACTER' }),
    ]);
  });
});
