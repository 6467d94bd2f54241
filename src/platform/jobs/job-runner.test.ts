import { sql } from 'drizzle-orm';
import { Type } from '@sinclair/typebox';
import { selectRows } from '../../db/database';
import { createTestApp, type TestApp } from '../../../test/harness';
import { defineJob, type AbandonedJobHandler, type JobContext } from './job-definition';
import { enqueueJob } from './job-queue';
import { JobRunner, LeaseLostError } from './job-runner';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const newRunner = (workerId: string, leaseSeconds = 300, heartbeatSeconds?: number) =>
  new JobRunner(test.app.db, test.app.log, { workerId, retryBaseSeconds: 0, leaseSeconds, heartbeatSeconds });

const NoPayload = Type.Object({});

/** A job of the tests' own: no payload to speak of. */
const testJob = <Result>(
  name: string,
  handler: (context: JobContext<object>) => Promise<Result>,
  onAbandoned?: AbandonedJobHandler<object>,
) => defineJob({ name, payload: NoPayload, handler, onAbandoned });

/** Waits, a bounded time, until `condition` holds; the test fails if it never does. */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the awaited condition never held');
}

/** A handler that runs until the test releases it, and hands the test its context. */
function heldHandler() {
  let release!: () => void;
  let context: JobContext | undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    handler: async (given: JobContext<object>) => {
      context = given;
      await released;
      return 'done';
    },
    release: () => release(),
    context: () => context,
  };
}

async function leaseOf(id: number) {
  const [row] = await selectRows<{ locked_by: string | null; lease_left: number; running_for: number }>(
    test.app.db,
    sql`
    select locked_by, extract(epoch from locked_until - now())::float8 as lease_left,
           extract(epoch from now() - started_at)::float8 as running_for
      from jobs where id = ${id}`,
  );
  return row!;
}

async function jobRow(id: number) {
  const [row] = await selectRows<{ status: string; attempts: number; last_error: string | null; result: unknown }>(
    test.app.db,
    sql`select status, attempts, last_error, result from jobs where id = ${id}`,
  );
  return row!;
}

describe('the PostgreSQL job queue', () => {
  it('retries a job that fails once, then records its success', async () => {
    const runner = newRunner('retry');
    let calls = 0;
    const flaky = testJob('flaky', async ({ job }) => {
      calls += 1;
      if (job.attempts === 1) throw new Error('transient failure');
      return { done: true };
    });
    runner.register(flaky);
    const id = (await enqueueJob(test.app.db, flaky, {}))!;
    expect(await runner.drain()).toBe(2);
    expect(calls).toBe(2);
    expect(await jobRow(id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      last_error: 'transient failure',
      result: { done: true },
    });
  });

  it('gives up after the last attempt and keeps the error', async () => {
    const runner = newRunner('doomed');
    const alwaysFails = testJob('always-fails', async () => {
      throw new Error('permanent failure');
    });
    runner.register(alwaysFails);
    const id = (await enqueueJob(test.app.db, alwaysFails, {}, { maxAttempts: 3 }))!;
    await runner.drain();
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'permanent failure' });
  });

  it('lets two runners share the queue without both taking one job', async () => {
    const taken: number[] = [];
    const runners = [newRunner('runner-a'), newRunner('runner-b')];
    const shared = defineJob({
      name: 'shared',
      payload: Type.Object({ index: Type.Integer() }),
      handler: async ({ job }) => {
        taken.push(job.payload.index);
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    for (const runner of runners) runner.register(shared);
    for (let index = 0; index < 30; index += 1) await enqueueJob(test.app.db, shared, { index });
    const counts = await Promise.all(runners.map((runner) => runner.drain()));
    expect(counts[0]! + counts[1]!).toBe(30);
    expect([...taken].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
  });

  it('takes over the job of a runner that died once its lease runs out', async () => {
    const dead = newRunner('dead');
    let release!: () => void;
    dead.register(
      testJob(
        'long',
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
          }),
      ),
    );
    const id = (await enqueueJob(
      test.app.db,
      testJob('long', async () => undefined),
      {},
    ))!;
    const abandoned = dead.runNext();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Still leased: nobody else may take it.
    const survivor = newRunner('survivor');
    survivor.register(testJob('long', async () => 'taken over'));
    expect(await survivor.runNext()).toBe(false);
    // The lease runs out (the dead runner stopped extending it).
    await test.app.db.execute(sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`);
    expect(await survivor.runNext()).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'taken over' });
    // The dead runner's late answer does not overwrite the outcome.
    release();
    await abandoned;
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', result: 'taken over' });
  });

  it('enqueues a singleton job once however often it is asked', async () => {
    const sweep = testJob('sweep', async () => undefined);
    const first = await enqueueJob(test.app.db, sweep, {}, { singletonKey: 'sweep:2026-11-29' });
    const second = await enqueueJob(test.app.db, sweep, {}, { singletonKey: 'sweep:2026-11-29' });
    expect(first).toEqual(expect.any(Number));
    expect(second).toBeUndefined();
  });

  it('claims a job enqueued a moment ago, however soon after its enqueue it asks', async () => {
    // run_at keeps milliseconds: now() is rounded, up as often as down, into a time the claim's own
    // now() may not have reached yet when it asks within the same half-millisecond.
    const runner = newRunner('prompt');
    const prompt = testJob('prompt', async () => undefined);
    runner.register(prompt);
    let missed = 0;
    for (let round = 0; round < 1000; round += 1) {
      await enqueueJob(test.app.db, prompt, {});
      if (!(await runner.runNext())) missed += 1;
    }
    expect(missed).toBe(0);
  });

  it('leaves jobs that are not yet due', async () => {
    const runner = newRunner('patient');
    const later = testJob('later', async () => undefined);
    runner.register(later);
    await enqueueJob(test.app.db, later, {}, { runAt: new Date(Date.now() + 3_600_000) });
    expect(await runner.runNext()).toBe(false);
  });

  it('keeps an enqueue inside a transaction that rolls back out of the queue', async () => {
    await expect(
      test.app.db.transaction(async (tx) => {
        await enqueueJob(
          tx,
          testJob('rolled-back', async () => undefined),
          {},
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await selectRows(test.app.db, sql`select id from jobs where name = 'rolled-back'`);
    expect(rows).toEqual([]);
  });

  it('keeps renewing the lease while the handler runs, past the lease duration', async () => {
    const busy = newRunner('busy', 3, 1);
    const held = heldHandler();
    const busyJob = testJob('busy-job', held.handler);
    busy.register(busyJob);
    const id = (await enqueueJob(test.app.db, busyJob, {}))!;
    const running = busy.runNext();
    // Longer than one lease after the claim, the heartbeat still holds the job.
    await eventually(async () => (await leaseOf(id)).running_for > 4.5);
    expect(await leaseOf(id)).toMatchObject({ locked_by: 'busy', lease_left: expect.any(Number) });
    expect((await leaseOf(id)).lease_left).toBeGreaterThan(0);
    const other = newRunner('other', 3, 1);
    other.register(testJob('busy-job', async () => 'stolen'));
    expect(await other.runNext()).toBe(false);
    held.release();
    await running;
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 1, result: 'done' });
  });

  it('lets another runner take an orphaned job once its short lease runs out, and tells the old handler', async () => {
    // A runner whose heartbeat never comes stands for a process that died.
    const orphaning = newRunner('orphaning', 2, 1000);
    const held = heldHandler();
    const orphan = testJob('orphan', held.handler);
    orphaning.register(orphan);
    const id = (await enqueueJob(test.app.db, orphan, {}))!;
    const abandoned = orphaning.runNext();
    // The first runner must hold the job before the second polls, or the second simply takes it first.
    await eventually(async () => held.context() !== undefined);
    const adopter = newRunner('adopter', 2, 1);
    let adopted = false;
    adopter.register(
      testJob('orphan', async () => {
        adopted = true;
        return 'adopted';
      }),
    );
    adopter.start(50, 1);
    try {
      await eventually(async () => adopted);
    } finally {
      await adopter.stop();
    }
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'adopted' });
    // The first handler learns that the job is no longer its own, and its outcome does not count.
    await expect(held.context()!.extendLease()).rejects.toBeInstanceOf(LeaseLostError);
    expect(held.context()!.signal.aborted).toBe(true);
    held.release();
    await abandoned;
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', result: 'adopted' });
  });

  it('hands a job abandoned without progress to its onAbandoned hook instead of running it again', async () => {
    const crashing = newRunner('crashing', 300);
    const fragile = testJob('fragile', () => new Promise(() => undefined));
    crashing.register(fragile);
    const id = (await enqueueJob(test.app.db, fragile, {}))!;
    void crashing.runNext();
    await eventually(async () => (await leaseOf(id)).locked_by === 'crashing');
    await test.app.db.execute(sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`);
    const survivor = newRunner('careful');
    const abandonedAttempts: number[] = [];
    let ran = false;
    survivor.register(
      testJob(
        'fragile',
        async () => {
          ran = true;
        },
        async ({ job }) => {
          abandonedAttempts.push(job.attempts);
        },
      ),
    );
    expect(await survivor.runNext()).toBe(true);
    expect(ran).toBe(false);
    expect(abandonedAttempts).toEqual([2]);
    expect(await jobRow(id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: expect.stringMatching(/^abandoned/),
    });
  });

  it('runs again a job abandoned after it reported progress', async () => {
    const progressing = newRunner('progressing', 300);
    const steady = testJob('steady', async (context) => {
      await context.reportProgress(10);
      await new Promise(() => undefined);
    });
    progressing.register(steady);
    const id = (await enqueueJob(test.app.db, steady, {}))!;
    void progressing.runNext();
    await eventually(
      async () =>
        (await selectRows<{ progress: number }>(test.app.db, sql`select progress::int from jobs where id = ${id}`))[0]!
          .progress === 10,
    );
    await test.app.db.execute(sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`);
    const survivor = newRunner('resumer');
    survivor.register(
      testJob(
        'steady',
        async () => 'resumed',
        async () => {
          throw new Error('not abandoned: it progressed');
        },
      ),
    );
    expect(await survivor.runNext()).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'resumed' });
  });

  it('fails a job whose payload does not match its schema for good, without running its handler', async () => {
    const runner = newRunner('strict');
    let ran = false;
    const typed = defineJob({
      name: 'typed',
      payload: Type.Object({ importId: Type.String() }),
      maxAttempts: 5,
      handler: async () => {
        ran = true;
      },
    });
    runner.register(typed);
    // Written by hand (or by an older version): the enqueue's type check cannot see it.
    const [row] = await selectRows<{ id: number }>(
      test.app.db,
      sql`
      insert into jobs (name, payload, max_attempts) values ('typed', ${JSON.stringify({ importId: 42 })}::jsonb, 5) returning id`,
    );
    const id = Number(row!.id);
    expect(await runner.drain()).toBe(1);
    expect(ran).toBe(false);
    expect(await jobRow(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'payload refused by the schema of typed: /importId: Expected string',
    });
    // A payload that matches runs as ever.
    const good = (await enqueueJob(test.app.db, typed, { importId: 'a' }))!;
    expect(await runner.drain()).toBe(1);
    expect(ran).toBe(true);
    expect(await jobRow(good)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
