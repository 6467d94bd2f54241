import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { createTestApp, type TestApp } from '../../../test/harness';
import { enqueueJob } from './job-queue';
import { JobRunner } from './job-runner';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const newRunner = (workerId: string, leaseSeconds = 300) =>
  new JobRunner(test.app.db, test.app.log, { workerId, retryBaseSeconds: 0, leaseSeconds });

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
});
