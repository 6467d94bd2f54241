import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Webhook } from 'standardwebhooks';
import { withLuhnKey } from '../src/domain/luhn';
import {
  createBenchDatabase,
  machineLine,
  perNodeSection,
  startBenchApi,
  stopProcess,
  writeResultsSection,
  type BenchApi,
} from './support';

// autocannon ships no types; this is the slice of its API this benchmark uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<{
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}>;

/**
 * Webhooks: (1) `POST /v1/mailboxes` throughput with one webhook subscribed to every event of the
 * structure (dispatch and delivery running in the same process, as in production) against the same
 * without it, alternated in one run (target: at most 10 % slower); (2) a backlog of 10,000 events
 * delivered to a local receiver, which verifies every signature, by a server whose runner has the
 * configured concurrency (target: 500 events/s or more).
 */
const KEY = 'blk_bench_operator_key_0123456789abcdef';
const API_PORT = 5010;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = process.env.BENCH_JOBS_CONCURRENCY ?? '8';
const BACKLOG = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
/** The receiver is this process, on plain http at 127.0.0.1. */
const LOCAL_RECEIVER = { BALISE_WEBHOOKS_ALLOW_HTTP: 'true', BALISE_WEBHOOKS_ALLOW_PRIVATE: 'true' };
const JOBS_ON = {
  ...LOCAL_RECEIVER,
  BALISE_JOBS_ENABLED: 'true',
  BALISE_JOBS_CONCURRENCY: CONCURRENCY,
  BALISE_JOBS_POLL_MS: '100',
  BALISE_DIRECTORY_REFRESH_MINUTES: '0',
  BALISE_LIFECYCLE_SCHEDULE_ENABLED: 'false',
};

let serial = 0;
function mailboxBody(structureId: string): string {
  serial += 1;
  const unique = `${process.pid}${Date.now() % 1e7}${serial}`;
  return JSON.stringify({
    structureId,
    type: 'PER',
    email: `bench.${unique}@hopital.example.fr`,
    lastName: 'Martin',
    firstName: 'Claire',
    rpps: withLuhnKey('10' + String(serial).padStart(8, '0')), // a fresh database each run: unique
    profession: '10',
  });
}

async function postMailboxes(baseUrl: string, headers: Record<string, string>, structureId: string, options: object) {
  const result = await autocannon({
    url: `${baseUrl}/v1/mailboxes`,
    connections: 20,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    requests: [
      { setupRequest: (request: Record<string, unknown>) => ({ ...request, body: mailboxBody(structureId) }) },
    ],
    ...options,
  });
  return {
    perSecond: Math.round(result.requests.average),
    p99: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}

/** Counts the messages whose signature verifies, and when the first and the last arrived. */
function startReceiver(secretOf: () => string | undefined) {
  const state = { verified: 0, refused: 0, first: 0, last: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const secret = secretOf();
      try {
        if (!secret) throw new Error('no secret yet');
        new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        });
        state.verified += 1;
        state.first ||= performance.now();
        state.last = performance.now();
      } catch {
        state.refused += 1;
      }
      response.end();
    });
  });
  return new Promise<{ state: typeof state; url: string; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        state,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

async function call(baseUrl: string, headers: Record<string, string>, method: string, path: string, body?: object) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Every server started, stopped in `finally` whatever failed (a server left behind holds the port). */
const servers: BenchApi[] = [];
async function start(databaseUrl: string, environment: NodeJS.ProcessEnv): Promise<BenchApi> {
  const api = await startBenchApi(databaseUrl, API_PORT, KEY, environment);
  servers.push(api);
  return api;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('bench_webhooks');
  let secret: string | undefined;
  const receiver = await startReceiver(() => secret);
  try {
    // (1) POST throughput, alternating without and with a subscribed webhook, jobs on in both.
    const api = await start(database.url, JOBS_ON);
    const created = await call(api.baseUrl, api.headers, 'POST', '/v1/webhooks', {
      url: receiver.url,
      events: ['*'],
      structureIds: [api.structureId],
      enabled: false,
    });
    secret = created.secret as string;
    const webhookPath = `/v1/webhooks/${created.id as string}`;
    await postMailboxes(api.baseUrl, api.headers, api.structureId, { duration: 3 }); // warm-up
    const without: number[] = [];
    const withWebhook: number[] = [];
    let failures = 0;
    for (let round = 0; round < 2; round += 1) {
      for (const enabled of [false, true]) {
        await call(api.baseUrl, api.headers, 'PATCH', webhookPath, { enabled });
        const run = await postMailboxes(api.baseUrl, api.headers, api.structureId, { duration: SECONDS });
        (enabled ? withWebhook : without).push(run.perSecond);
        failures += run.failures;
      }
    }
    await call(api.baseUrl, api.headers, 'PATCH', webhookPath, { enabled: false });
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the last deliveries go before the next phase
    await stopProcess(api.process);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const cost = 1 - mean(withWebhook) / mean(without);

    // (2) A backlog of events written with no runner, then delivered by one server with the runner on.
    const writer = await start(database.url, LOCAL_RECEIVER);
    const backlogHook = await call(writer.baseUrl, writer.headers, 'POST', '/v1/webhooks', {
      url: receiver.url,
      events: ['mailbox.created'],
      structureIds: [writer.structureId],
    });
    secret = backlogHook.secret as string;
    receiver.state.verified = 0;
    receiver.state.refused = 0;
    receiver.state.first = 0;
    const written = await postMailboxes(writer.baseUrl, writer.headers, writer.structureId, { amount: BACKLOG });
    await stopProcess(writer.process);
    const started = performance.now();
    const deliverer = await start(database.url, JOBS_ON);
    const deadline = Date.now() + 600_000;
    while (receiver.state.verified < BACKLOG - written.failures && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const { verified, refused, first, last } = receiver.state;
    await stopProcess(deliverer.process);
    const deliveredPerSecond = Math.round((verified - 1) / ((last - first) / 1000));
    const endToEndPerSecond = Math.round(verified / ((last - started) / 1000));

    const lines = [
      `Machine: ${machineLine()}; load average ${os.loadavg()[0]!.toFixed(1)} at the end; PostgreSQL; job concurrency ${CONCURRENCY}, poll 100 ms.`,
      '',
      '| measure | result | target |',
      '|---|---|---|',
      `| \`POST /v1/mailboxes\` without webhook (2 × ${SECONDS} s, 20 connections) | ${without.join(' / ')} req/s | |`,
      `| same, one webhook subscribed to \`*\` (dispatch + delivery in the process) | ${withWebhook.join(' / ')} req/s | |`,
      `| cost of the webhook | ${(cost * 100).toFixed(1)} % | ≤ 10 % ${cost <= 0.1 ? 'met' : '**not met**'} |`,
      `| backlog of ${BACKLOG} events delivered and verified (first → last message) | ${deliveredPerSecond} events/s | ≥ 500 ${deliveredPerSecond >= 500 ? 'met' : '**not met**'} |`,
      `| same, from the start of the delivering process | ${endToEndPerSecond} events/s | |`,
      `| messages refused by verification; failed POSTs | ${refused}; ${failures + written.failures} | 0 |`,
    ];
    writeResultsSection(perNodeSection('webhooks'), `## Webhooks\n\n${lines.join('\n')}`);
    console.log(lines.join('\n'));
  } finally {
    for (const server of servers) await stopProcess(server.process);
    receiver.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
