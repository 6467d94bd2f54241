import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type supertest from 'supertest';
import { openTestDatabase } from '../../test/harness';
import { eventually as eventuallyHolds, startServerProcess, type ServerProcess } from '../../test/server-process';
import { mailboxBody, uniqueDomain, validFiness } from '../../test/factories';
import type { DatabaseHandle } from './database';

/**
 * A PostgreSQL restart under write load once made the process exit ('Connection terminated
 * unexpectedly' on a connection checked out for a transaction, uncaught). Here the real server
 * (`node dist/server.js`) runs over this file's database while every connection to that database
 * (and no other: other test files share the server) is terminated again and again under
 * concurrent `POST /v1/mailboxes`. The process must stay up, answer 201 or 503 problem+json with
 * Retry-After, leave no write half-done, and serve and run jobs normally afterwards.
 */
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const ROUNDS = 4;
const CONCURRENT_WRITES = 16;

let database: DatabaseHandle;
let databaseUrl: string;
let server: ServerProcess;
let http: ReturnType<typeof supertest>;
let auth: { Authorization: string };

/** Waits, a bounded time, until `condition` holds; the server's output tells why it did not. */
const eventually = (condition: () => Promise<boolean>) =>
  eventuallyHolds(condition, () => server.output().slice(-4000));

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Cuts every connection to this test's database, as a restart would; other databases are left alone. */
const terminateOurConnections = (admin: Client) =>
  admin.query(
    'select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );

describeOnPostgres('the server during a database restart under write load', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    databaseUrl = database.pool!.options.connectionString!;
    server = await startServerProcess(databaseUrl);
    http = server.http;
    auth = { Authorization: `Bearer ${server.operatorKey}` };
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  }, 60_000);

  it('stays up, answers 201 or 503 with Retry-After, writes nothing by halves, and recovers', async () => {
    const structure = await http
      .post('/v1/structures')
      .set(auth)
      .send({ name: 'Failover', finess: validFiness(), domains: [uniqueDomain()] })
      .expect(201);
    const structureId = structure.body.id as string;
    const created = new Set<string>();
    let unavailable = 0;
    const refused: { key: string; body: Record<string, unknown> }[] = [];
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        let writing = true;
        const bodies = Array.from({ length: CONCURRENT_WRITES }, () => ({
          key: randomBytes(12).toString('hex'),
          body: mailboxBody(structureId),
        }));
        const writes = Promise.all(
          bodies.map(({ key, body }) => http.post('/v1/mailboxes').set(auth).set('Idempotency-Key', key).send(body)),
        ).finally(() => {
          writing = false;
        });
        // Restarts, again and again, while the writes are in flight.
        await new Promise((resolve) => setTimeout(resolve, 10 * round));
        while (writing) {
          await terminateOurConnections(admin);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        for (const [index, response] of (await writes).entries()) {
          if (response.status === 201) {
            created.add(response.body.id as string);
            continue;
          }
          expect({
            status: response.status,
            type: response.type,
            code: response.body.code,
            retryAfter: response.headers['retry-after'],
          }).toEqual({
            status: 503,
            type: 'application/problem+json',
            code: 'SERVICE_UNAVAILABLE',
            retryAfter: '5',
          });
          unavailable += 1;
          refused.push(bodies[index]!);
        }
        expect(server.child.exitCode).toBeNull();
      }
    } finally {
      await admin.end();
    }
    // The cuts did land on requests in flight, and none of them cost the process.
    expect(unavailable).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/uncaught/i);

    // Later requests succeed, without a restart; so do jobs (an invitation's delivery).
    await eventually(async () => (await http.get('/health/ready')).status === 200);
    for (let index = 0; index < 5; index += 1) {
      const response = await http
        .post('/v1/mailboxes')
        .set(auth)
        .send(mailboxBody(structureId, 'PER', { notify: true }))
        .expect(201);
      created.add(response.body.id as string);
    }
    // A refused write retried with its Idempotency-Key is not stuck behind its first attempt's
    // reservation (409 IDEMPOTENCY_IN_PROGRESS): it is created, or, if that attempt's commit
    // went through before its connection was cut, the e-mail is already taken.
    for (const { key, body } of refused) {
      let retried: supertest.Response | undefined;
      await eventually(async () => {
        retried = await http.post('/v1/mailboxes').set(auth).set('Idempotency-Key', key).send(body);
        return retried.status !== 409 || retried.body.code !== 'IDEMPOTENCY_IN_PROGRESS';
      });
      expect([201, 409]).toContain(retried!.status);
      if (retried!.status === 201) created.add(retried!.body.id as string);
      else expect(retried!.body.code).toBe('EMAIL_TAKEN');
    }
    await eventually(() =>
      withClient(async (client) => {
        const { rows } = await client.query<{ waiting: number }>(
          "select count(*)::int as waiting from jobs where name = 'notification.deliver' and status <> 'succeeded'",
        );
        return rows[0]!.waiting === 0;
      }),
    );

    // No write is half-done: every 201 box exists with its audit event, and no box lacks one.
    await withClient(async (client) => {
      const { rows } = await client.query<{ id: string; audits: number }>(
        `
        select m.id, (select count(*)::int from audit_events e where e.target_id = m.id::text and e.action = 'mailbox.created') as audits
          from mailboxes m where m.structure_id = $1`,
        [structureId],
      );
      const audited = new Map(rows.map((row) => [row.id, row.audits]));
      for (const id of created) expect(audited.get(id)).toBe(1);
      expect(rows.filter((row) => row.audits !== 1)).toEqual([]);
      const orphans = await client.query<{ count: number }>(
        'select count(*)::int as count from mssante_addresses a where not exists (select 1 from mailboxes m where m.id = a.mailbox_id)',
      );
      expect(orphans.rows[0]!.count).toBe(0);
    });
  }, 180_000);
});
