import { createReadStream } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import path from 'node:path';
import { uniqueEmail, validRpps } from '../../../test/factories';
import {
  BaliseProblem,
  PreconditionFailed,
  createBaliseClient,
  dataOf,
  paginate,
  paginatePages,
  readModifyWrite,
  retryAfterMs,
  startImport,
  waitForImport,
  type BaliseClient,
  type Import,
} from '../src';
import { startLiveServer, type LiveServer } from './live-server';

/**
 * @balise/client through its public interface (src/index.ts), against a live server over HTTP; the
 * retries through a real HTTP proxy in front of it that loses answers, throttles and cuts
 * connections, as a load balancer or a restart does.
 */
const FIXTURE = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'loaduser-openpyxl.xlsx');

let server: LiveServer;
let balise: BaliseClient;
let proxy: FaultyProxy;

beforeAll(async () => {
  server = await startLiveServer();
  balise = createBaliseClient({ baseUrl: server.baseUrl, apiKey: server.adminKey });
  proxy = await startFaultyProxy(server.baseUrl);
}, 120_000);
afterAll(async () => {
  await proxy.close();
  await server.test.close();
});

const newPerson = (email = uniqueEmail('client')) => ({
  structureId: server.structureId,
  type: 'PER' as const,
  email,
  lastName: 'Dupont',
  firstName: 'Jean',
  rpps: validRpps(),
  profession: '10',
  civility: 'M' as const,
});

describe('paginate', () => {
  it('walks every page of a list, following nextCursor', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      created.push(dataOf(await balise.POST('/v1/mailboxes', { body: newPerson(uniqueEmail('page')) })).id);
    }
    const pageOf = (cursor: string | undefined) =>
      balise.GET('/v1/mailboxes', {
        params: { query: { structureId: server.structureId, q: 'page.', limit: 2, cursor } },
      });
    const seen: string[] = [];
    for await (const box of paginate(pageOf)) seen.push(box.id);
    expect(seen.sort()).toEqual(created.sort());
    let pages = 0;
    for await (const page of paginatePages(pageOf)) pages += page.items.length > 0 ? 1 : 0;
    expect(pages).toBe(3);
  });
});

describe('retries', () => {
  it('sends a POST whose answer was lost again with the same Idempotency-Key, and it creates once', async () => {
    const viaProxy = createBaliseClient({ baseUrl: proxy.url, apiKey: server.adminKey, retry: { baseDelayMs: 10 } });
    const email = uniqueEmail('retried');
    proxy.plan('forward, then answer 503');
    const box = dataOf(await viaProxy.POST('/v1/mailboxes', { body: newPerson(email) }));

    const posts = proxy.seen.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1]?.idempotencyKey).toBe(posts[0]?.idempotencyKey);
    const found = dataOf(await balise.GET('/v1/mailboxes', { params: { query: { q: email } } }));
    expect(found.items.map((item) => item.id)).toEqual([box.id]);
  });

  it("waits the server's Retry-After on 429, and retries a GET cut off by the network", async () => {
    const viaProxy = createBaliseClient({ baseUrl: proxy.url, apiKey: server.adminKey, retry: { baseDelayMs: 10 } });
    const structureId = server.structureId;
    proxy.plan('answer 429, retry after 1 s', 'cut the connection');
    const started = Date.now();
    const read = dataOf(await viaProxy.GET('/v1/structures/{structureId}', { params: { path: { structureId } } }));
    expect(read.id).toBe(structureId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(proxy.seen).toHaveLength(3);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-02T09:15:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:15:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('gives up after its bounded retries, with the last answer as a typed problem', async () => {
    const viaProxy = createBaliseClient({ baseUrl: proxy.url, apiKey: server.adminKey, retry: { retries: 2 } });
    proxy.plan('answer 503, retry after 0 s', 'answer 503, retry after 0 s', 'answer 503, retry after 0 s', 'forward');
    const failure = await viaProxy.GET('/v1/structures').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BaliseProblem);
    expect(failure).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(proxy.seen).toHaveLength(3);
  });
});

describe('problems', () => {
  it('throws a refused request as a BaliseProblem naming the field at fault', async () => {
    const failure = await balise
      .POST('/v1/mailboxes', { body: { ...newPerson(), rpps: '10000013995' } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BaliseProblem);
    expect(failure).toMatchObject({ status: 422, errors: [expect.objectContaining({ field: 'rpps' })] });
    expect(failure).toHaveProperty('requestId', expect.stringMatching(/\S/));
  });

  it('surfaces a stale If-Match as a typed PreconditionFailed, and reads again when asked to', async () => {
    const mailboxId = dataOf(await balise.POST('/v1/mailboxes', { body: newPerson() })).id;
    const read = () => balise.GET('/v1/mailboxes/{mailboxId}', { params: { path: { mailboxId } } });
    const write = (service: string) => (_box: unknown, ifMatch: string) =>
      balise.PATCH('/v1/mailboxes/{mailboxId}', {
        params: { path: { mailboxId }, header: { 'if-match': ifMatch } },
        body: { service },
      });
    let concurrentWrites = 0;
    /** Another writer changes the box between our read and our write, once. */
    const raced = (service: string) => async (box: unknown, ifMatch: string) => {
      if (concurrentWrites === 0) {
        concurrentWrites += 1;
        await readModifyWrite(read, write('Urgences'));
      }
      return write(service)(box, ifMatch);
    };

    const stale = await readModifyWrite(read, raced('Cardiologie')).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(PreconditionFailed);
    expect(stale).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });

    concurrentWrites = 0;
    const updated = await readModifyWrite(read, raced('Pneumologie'), { attempts: 2 });
    expect(updated?.service).toBe('Pneumologie');
  });
});

describe('imports', () => {
  it('uploads a file from its path and follows it to its end with progress events', async () => {
    const created = await startImport(balise, server.structureId, FIXTURE, { onError: 'skip' });
    expect(created).toMatchObject({ fileName: 'loaduser-openpyxl.xlsx', format: 'xlsx' });
    const events: Import[] = [];
    const finished = await waitForImport(balise, created.id, {
      intervalMs: 50,
      onProgress: (current) => events.push(current),
    });
    expect(finished).toMatchObject({ status: 'succeeded', counts: { created: 6, failed: 0 } });
    expect(events.at(-1)).toEqual(finished);
    const read = events.map((event) => event.progress.rowsRead);
    expect(read).toEqual([...read].sort((a, b) => a - b));
  });

  it('uploads a stream and a Buffer alike (dry runs of the same file: nothing left to change)', async () => {
    for (const source of [
      createReadStream(FIXTURE),
      Buffer.from(await new Response(createReadStream(FIXTURE)).arrayBuffer()),
    ]) {
      const created = await startImport(balise, server.structureId, source, { dryRun: true, fileName: 'again.xlsx' });
      const finished = await waitForImport(balise, created.id, { intervalMs: 50, timeoutMs: 60_000 });
      expect(finished).toMatchObject({ status: 'succeeded', fileName: 'again.xlsx', counts: { unchanged: 6 } });
    }
  });
});

type Fault =
  | 'forward'
  | 'forward, then answer 503'
  | 'answer 429, retry after 1 s'
  | 'answer 503, retry after 0 s'
  | 'cut the connection';

interface FaultyProxy {
  readonly url: string;
  /** What the next requests meet, in order; once the plan is spent, requests go through. Clears `seen`. */
  plan(...faults: Fault[]): void;
  readonly seen: { method: string; idempotencyKey: string | undefined }[];
  close(): Promise<void>;
}

/** A real HTTP server in front of Balise that forwards requests, or fails them as planned. */
async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  let faults: Fault[] = [];
  const seen: FaultyProxy['seen'] = [];
  const problem = (status: number, retryAfter: string) => ({
    status,
    headers: { 'content-type': 'application/problem+json', 'retry-after': retryAfter },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Busy',
      status,
      detail: 'try later',
      code: status === 429 ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE',
      requestId: 'proxy',
    }),
  });
  const proxyServer: Server = createServer((request, response) => {
    const fault = faults.shift() ?? 'forward';
    const key = request.headers['idempotency-key'];
    seen.push({ method: request.method ?? '', idempotencyKey: Array.isArray(key) ? key[0] : key });
    const answer = ({ status, headers, body }: { status: number; headers: IncomingHttpHeaders; body: string }) => {
      request.resume();
      response.writeHead(status, headers).end(body);
    };
    if (fault === 'cut the connection') return void request.socket.destroy();
    if (fault === 'answer 429, retry after 1 s') return answer(problem(429, '1'));
    if (fault === 'answer 503, retry after 0 s') return answer(problem(503, '0'));
    const upstream = httpRequest(
      new URL(request.url ?? '/', target),
      { method: request.method, headers: request.headers },
      (reply) => {
        if (fault === 'forward, then answer 503') {
          // The server did the work; its answer is lost on the way back.
          reply.resume();
          reply.on('end', () => answer(problem(503, '0')));
          return;
        }
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
  const address = proxyServer.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    plan: (...planned) => {
      faults = planned;
      seen.length = 0;
    },
    close: () => {
      proxyServer.closeAllConnections();
      return new Promise((resolve) => proxyServer.close(() => resolve()));
    },
  };
}
