import { createServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../../app';
import { loadConfig } from '../../config/config';
import { openDatabase, type DatabaseHandle } from '../../db/database';

/**
 * A database that is down answers 503 problem+json with Retry-After on every route, reads and
 * writes, authenticated or public: never a 500, never a request hanging until the client gives
 * up. Runs on both test backends: the app is given a pg pool aimed at a server that is not there.
 */
const SOME_KEY = 'Bearer blk_test_not_checked_because_the_database_is_down';
const STRUCTURE_ID = '00000000-0000-4000-8000-000000000001';

/** Listens on a free port of 4300–4399 (the ports these tests may use). */
async function listenOnFreePort(server: Server): Promise<number> {
  for (let port = 4300; port < 4400; port += 1) {
    const isListening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (isListening) return port;
  }
  throw new Error('no free port in 4300–4399');
}

async function appOver(databaseUrl: string): Promise<{ app: FastifyInstance; handle: DatabaseHandle }> {
  const handle = await openDatabase({
    kind: 'postgres',
    url: databaseUrl,
    poolSize: 2,
    connectTimeoutSeconds: 1,
    idleTimeoutSeconds: 10,
  });
  const config = loadConfig({ LOG_LEVEL: 'silent', BALISE_JOBS_ENABLED: 'false', DATABASE_URL: databaseUrl });
  const app = await buildApp({ config, database: handle, logger: false });
  await app.ready();
  return { app, handle };
}

async function expectUnavailableEverywhere(app: FastifyInstance): Promise<void> {
  const http = supertest(app.server);
  const requests = [
    http.get('/health/ready'),
    http.get('/v1/structures').set('Authorization', SOME_KEY),
    http.get(`/v1/structures/${STRUCTURE_ID}`).set('Authorization', SOME_KEY),
    http
      .post('/v1/mailboxes')
      .set('Authorization', SOME_KEY)
      .send({ structureId: STRUCTURE_ID, type: 'PER', email: 'a@b.fr', lastName: 'A', firstName: 'B' }),
    http
      .post('/v1/registrations')
      .send({ structureId: STRUCTURE_ID, type: 'PER', email: 'a@b.fr', lastName: 'A', firstName: 'B' }),
  ];
  for (const request of requests) {
    const response = await request;
    expect({ status: response.status, type: response.type, retryAfter: response.headers['retry-after'] }).toEqual({
      status: 503,
      type: 'application/problem+json',
      retryAfter: '5',
    });
    expect(response.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  }
}

describe('a database that is down', () => {
  it('answers 503 with Retry-After when connections are refused', async () => {
    const closed = createServer();
    const port = await listenOnFreePort(closed);
    await new Promise((resolve) => closed.close(resolve));
    const { app, handle } = await appOver(`postgres://postgres@127.0.0.1:${port}/balise`);
    try {
      await expectUnavailableEverywhere(app);
    } finally {
      await app.close();
      await handle.close();
    }
  });

  it('answers 503 once the connect timeout passes when the server accepts but never answers (a failover in progress)', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    const port = await listenOnFreePort(silent);
    const { app, handle } = await appOver(`postgres://postgres@127.0.0.1:${port}/balise`);
    try {
      await expectUnavailableEverywhere(app);
    } finally {
      await app.close();
      await handle.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
