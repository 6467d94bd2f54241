import { sql } from 'drizzle-orm';
import { selectRows } from '../db/database';
import { bearer, createTestApp, type TestApp } from '../../test/harness';
import { uniqueDomain, validFiness } from '../../test/factories';

/**
 * A POST's answer is kept for replays under its Idempotency-Key, and with it whatever the answer
 * holds (a box's holder's name, identifiers). The hourly purge deletes the records older than
 * `BALISE_IDEMPOTENCY_RETENTION_HOURS`; a key used again after that is a new request.
 */
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ environment: { BALISE_IDEMPOTENCY_RETENTION_HOURS: '24' } });
});
afterAll(() => test.close());

/** One body per key: a retry must send the same request to be replayed. */
const bodies = new Map<string, object>();
const createWithKey = (key: string) => {
  if (!bodies.has(key)) bodies.set(key, { name: `Structure ${key}`, finess: validFiness(), domains: [uniqueDomain()] });
  return test.http
    .post('/v1/structures')
    .set(bearer(test.operatorKey))
    .set('Idempotency-Key', key)
    .send(bodies.get(key));
};

const storedKeys = async () =>
  (await selectRows<{ key: string }>(test.app.db, sql`select key from idempotency_keys order by key`)).map(
    (row) => row.key,
  );

/** Makes a record as old as if it had been written `hours` ago. */
const ageRecord = (key: string, hours: number) =>
  test.app.db.execute(
    sql`update idempotency_keys set created_at = now() - make_interval(hours => ${hours}) where key = ${key}`,
  );

it('deletes the records past the retention in its hourly purge, keeps the others, and a purged key starts anew', async () => {
  const old = await createWithKey('key-old').expect(201);
  await createWithKey('key-recent').expect(201);
  await ageRecord('key-old', 25);
  await ageRecord('key-recent', 23);
  expect(await storedKeys()).toEqual(['key-old', 'key-recent']);

  await test.app.scheduler.tick();
  await test.app.jobs.drain();

  expect(await storedKeys()).toEqual(['key-recent']);
  const job = await selectRows<{ status: string; result: { deleted: number } }>(
    test.app.db,
    sql`select status, result from jobs where name = 'idempotency.purge'`,
  );
  expect(job).toEqual([{ status: 'succeeded', result: { deleted: 1 } }]);
  // The retry of a recent request still replays; the purged key is a new request, not a replay.
  const replay = await createWithKey('key-recent').expect(201);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  bodies.delete('key-old'); // another structure: the old one's domain is taken
  const again = await createWithKey('key-old').expect(201);
  expect(again.headers['idempotent-replayed']).toBeUndefined();
  expect(again.body.id).not.toBe(old.body.id);
});
