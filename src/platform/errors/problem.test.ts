import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({
    beforeReady: (app) => {
      app.get('/v1/test-crash', async () => {
        throw new Error('connection to 10.0.0.7 refused: secret internals');
      });
    },
  });
});
afterAll(() => test.close());

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId'];

describe('the error model (RFC 9457)', () => {
  it('answers unknown routes with problem+json', async () => {
    const response = await test.http.get('/v1/nowhere').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Object.keys(response.body)).toEqual(expect.arrayContaining(PROBLEM_KEYS));
    expect(response.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', instance: '/v1/nowhere' });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it('lists every schema violation with its field', async () => {
    const response = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send({ finess: 12, quotas: { personal: -1 }, extra: true })
      .expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'quotas.personal', 'extra']));
  });

  it('answers malformed JSON with 400 and an unsupported body type with 415', async () => {
    const malformed = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body.code).toBe('BAD_REQUEST');
    const unsupported = await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .set('Content-Type', 'application/xml')
      .send('<name>x</name>')
      .expect(415);
    expect(unsupported.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a bad path parameter with 400 naming it', async () => {
    const response = await test.http.get('/v1/structures/not-a-uuid').set(bearer(test.operatorKey)).expect(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'structureId' });
  });

  it('says nothing internal on a 500', async () => {
    const response = await test.http.get('/v1/test-crash').set(bearer(test.operatorKey)).expect(500);
    expect(response.body).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(response.body)).not.toMatch(/10\.0\.0\.7|secret|Error/);
  });

  it('echoes a client X-Request-Id and makes one otherwise', async () => {
    const echoed = await test.http.get('/health/live').set('X-Request-Id', 'client-req-42').expect(200);
    expect(echoed.headers['x-request-id']).toBe('client-req-42');
    const made = await test.http.get('/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a malformed request to the health checks as the contract says (400 problem+json)', async () => {
    const refused = await test.http.get('/health/live?probe=%00').expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('reports readiness from the database', async () => {
    await test.http.get('/health/ready').expect(200, { status: 'ok' });
  });
});

/** Sends raw bytes to the listening app and returns all it answers before closing the connection. */
async function rawExchange(port: number, bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  socket.write(bytes);
  await once(socket, 'close');
  return answer;
}

const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('failures the HTTP parser meets before any route runs', () => {
  let port: number;
  beforeAll(async () => {
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    port = (test.app.server.address() as AddressInfo).port;
  });

  it('answers a request that is not valid HTTP with a 400 problem', async () => {
    const answer = await rawExchange(port, 'GET /v1/structures HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/);
    expect(bodyOf(answer)).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
      type: 'https://balise.dev/problems/bad-request',
      requestId: expect.any(String),
    });
  });

  it('answers headers over the size limit with a 431 problem', async () => {
    const answer = await rawExchange(
      port,
      `GET /v1/structures HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(answer)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });
});
