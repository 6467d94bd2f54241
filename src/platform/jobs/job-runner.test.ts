import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { createTestApp, type TestApp } from '../../../test/harness';
import { enqueueJob } from './job-queue';
import { JobRunner, LeaseLostError, type JobContext } from './job-runner';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const newRunner = (workerId: string, leaseSeconds = 300, heartbeatSeconds?: number) =>
  new JobRunner(test.app.db, test.app.log, { workerId, retryBaseSeconds: 0, leaseSeconds, heartbeatSeconds });

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
  const released = new Promise<void>((resolve) => { release = resolve; });
  return {
    handler: async (given: JobContext) => {
      context = given;
      await released;
      return 'done';
    },
    release: () => release(),
    context: () => context,
  };
}

async function leaseOf(id: number) {
  const [row] = await selectRows<{ locked_by: string | null; lease_left: number; running_for: number }>(test.app.db, sql`
    select locked_by, extract(epoch from locked_until - now())::float8 as lease_left,
           extract(epoch from now() - started_at)::float8 as running_for
      from jobs where id = ${id}`);
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
    runner.register('flaky', async ({ job }) => {
      calls += 1;
      if (job.attempts === 1) throw new Error('transient failure');
      return { done: true };
    });
    const id = (await enqueueJob(test.app.db, 'flaky', { n: 1 }))!;
    expect(await runner.drain()).toBe(2);
    expect(calls).toBe(2);
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 2, last_error: 'transient failure', result: { done: true } });
  });

  it('gives up after the last attempt and keeps the error', async () => {
    const runner = newRunner('doomed');
    runner.register('always-fails', async () => {
      throw new Error('permanent failure');
    });
    const id = (await enqueueJob(test.app.db, 'always-fails', {}, { maxAttempts: 3 }))!;
    await runner.drain();
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'permanent failure' });
  });

  it('lets two runners share the queue without both taking one job', async () => {
    const taken: number[] = [];
    const runners = [newRunner('runner-a'), newRunner('runner-b')];
    for (const runner of runners) {
      runner.register('shared', async ({ job }) => {
        taken.push(job.payload.index as number);
        await new Promise((resolve) => setImmediate(resolve));
      });
    }
    for (let index = 0; index < 30; index += 1) await enqueueJob(test.app.db, 'shared', { index });
    const counts = await Promise.all(runners.map((runner) => runner.drain()));
    expect(counts[0]! + counts[1]!).toBe(30);
    expect([...taken].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
  });

  it('takes over the job of a runner that died once its lease runs out', async () => {
    const dead = newRunner('dead');
    let release!: () => void;
    dead.register('long', () => new Promise<void>((resolve) => { release = resolve; }));
    const id = (await enqueueJob(test.app.db, 'long', {}))!;
    const abandoned = dead.runNext();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Still leased: nobody else may take it.
    const survivor = newRunner('survivor');
    survivor.register('long', async () => 'taken over');
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
    const first = await enqueueJob(test.app.db, 'sweep', {}, { singletonKey: 'sweep:2026-11-29' });
    const second = await enqueueJob(test.app.db, 'sweep', {}, { singletonKey: 'sweep:2026-11-29' });
    expect(first).toEqual(expect.any(Number));
    expect(second).toBeUndefined();
  });

  it('leaves jobs that are not yet due', async () => {
    const runner = newRunner('patient');
    runner.register('later', async () => undefined);
    await enqueueJob(test.app.db, 'later', {}, { runAt: new Date(Date.now() + 3_600_000) });
    expect(await runner.runNext()).toBe(false);
  });

  it('keeps an enqueue inside a transaction that rolls back out of the queue', async () => {
    await expect(
      test.app.db.transaction(async (tx) => {
        await enqueueJob(tx, 'rolled-back', {});
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await selectRows(test.app.db, sql`select id from jobs where name = 'rolled-back'`);
    expect(rows).toEqual([]);
  });

  it('keeps renewing the lease while the handler runs, past the lease duration', async () => {
    const busy = newRunner('busy', 3, 1);
    const held = heldHandler();
    busy.register('busy-job', held.handler);
    const id = (await enqueueJob(test.app.db, 'busy-job', {}))!;
    const running = busy.runNext();
    // Longer than one lease after the claim, the heartbeat still holds the job.
    await eventually(async () => (await leaseOf(id)).running_for > 4.5);
    expect(await leaseOf(id)).toMatchObject({ locked_by: 'busy', lease_left: expect.any(Number) });
    expect((await leaseOf(id)).lease_left).toBeGreaterThan(0);
    const other = newRunner('other', 3, 1);
    other.register('busy-job', async () => 'stolen');
    expect(await other.runNext()).toBe(false);
    held.release();
    await running;
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 1, result: 'done' });
  });

  it('lets another runner take an orphaned job once its short lease runs out, and tells the old handler', async () => {
    // A runner whose heartbeat never comes stands for a process that died.
    const orphaning = newRunner('orphaning', 2, 1000);
    const held = heldHandler();
    orphaning.register('orphan', held.handler);
    const id = (await enqueueJob(test.app.db, 'orphan', {}))!;
    const abandoned = orphaning.runNext();
    const adopter = newRunner('adopter', 2, 1);
    let adopted = false;
    adopter.register('orphan', async () => {
      adopted = true;
      return 'adopted';
    });
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
    crashing.register('fragile', () => new Promise(() => undefined));
    const id = (await enqueueJob(test.app.db, 'fragile', {}))!;
    void crashing.runNext();
    await eventually(async () => (await leaseOf(id)).locked_by === 'crashing');
    await test.app.db.execute(sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`);
    const survivor = newRunner('careful');
    const abandonedAttempts: number[] = [];
    let ran = false;
    survivor.register('fragile', async () => { ran = true; }, {
      onAbandoned: async ({ job }) => { abandonedAttempts.push(job.attempts); },
    });
    expect(await survivor.runNext()).toBe(true);
    expect(ran).toBe(false);
    expect(abandonedAttempts).toEqual([2]);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 2, last_error: expect.stringMatching(/^abandoned/) });
  });

  it('runs again a job abandoned after it reported progress', async () => {
    const progressing = newRunner('progressing', 300);
    progressing.register('steady', async (context) => {
      await context.reportProgress(10);
      await new Promise(() => undefined);
    });
    const id = (await enqueueJob(test.app.db, 'steady', {}))!;
    void progressing.runNext();
    await eventually(async () => (await selectRows<{ progress: number }>(test.app.db, sql`select progress::int from jobs where id = ${id}`))[0]!.progress === 10);
    await test.app.db.execute(sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`);
    const survivor = newRunner('resumer');
    survivor.register('steady', async () => 'resumed', { onAbandoned: async () => { throw new Error('not abandoned: it progressed'); } });
    expect(await survivor.runNext()).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'resumed' });
  });
});
