import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { createTestApp, type TestApp } from '../../../test/harness';
import { defineJob } from './job-definition';
import { JobRunner } from './job-runner';
import { periodKeyOf, PeriodicJobPayloadSchema, periodStartOf, Scheduler } from './scheduler';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const DAY = 86_400_000;

describe('the scheduler', () => {
  it('aligns periods on UTC midnight for daily jobs', () => {
    expect(periodStartOf(new Date('2026-04-09T23:59:59.999Z'), DAY).toISOString()).toBe('2026-04-09T00:00:00.000Z');
    expect(periodStartOf(new Date('2026-04-10T00:00:00.000Z'), DAY).toISOString()).toBe('2026-04-10T00:00:00.000Z');
    expect(periodStartOf(new Date('2026-04-10T10:47:00.000Z'), 15 * 60_000).toISOString()).toBe(
      '2026-04-10T10:45:00.000Z',
    );
  });

  it('enqueues one job per period however many processes tick, and the runners run it once', async () => {
    const clock = new ManualClock('2026-04-09T08:00:00.000Z');
    // Two API processes: each its own scheduler and runner, one database.
    const processes = ['a', 'b'].map((name) => ({
      scheduler: new Scheduler(test.app.db, clock, test.app.log),
      runner: new JobRunner(test.app.db, test.app.log, { workerId: `runner-${name}` }),
    }));
    const runs: string[] = [];
    const periodic = defineJob({
      name: 'test.periodic',
      payload: PeriodicJobPayloadSchema,
      handler: async ({ job }) => {
        runs.push(job.payload.periodStart);
      },
    });
    for (const { scheduler, runner } of processes) {
      scheduler.schedule(periodic, { periodMs: DAY });
      runner.register(periodic);
    }

    const firstTicks = await Promise.all(processes.map(({ scheduler }) => scheduler.tick()));
    expect(firstTicks.flat()).toHaveLength(1);
    clock.set('2026-04-09T23:00:00.000Z');
    expect((await Promise.all(processes.map(({ scheduler }) => scheduler.tick()))).flat()).toEqual([]);
    await Promise.all(processes.map(({ runner }) => runner.drain()));
    expect(runs).toEqual(['2026-04-09T00:00:00.000Z']);

    clock.set('2026-04-10T00:00:01.000Z');
    expect((await Promise.all(processes.map(({ scheduler }) => scheduler.tick()))).flat()).toHaveLength(1);
    await Promise.all(processes.map(({ runner }) => runner.drain()));
    expect(runs).toEqual(['2026-04-09T00:00:00.000Z', '2026-04-10T00:00:00.000Z']);

    const keys = await selectRows<{ singleton_key: string }>(
      test.app.db,
      sql`select singleton_key from jobs where name = 'test.periodic' order by id`,
    );
    expect(keys.map((row) => row.singleton_key)).toEqual([
      periodKeyOf('test.periodic', new Date('2026-04-09T00:00:00.000Z')),
      periodKeyOf('test.periodic', new Date('2026-04-10T00:00:00.000Z')),
    ]);
  });

  it('refuses a period under a second', () => {
    const scheduler = new Scheduler(test.app.db, new ManualClock('2026-01-01T00:00:00Z'), test.app.log);
    const tooOften = defineJob({
      name: 'too.often',
      payload: PeriodicJobPayloadSchema,
      handler: async () => undefined,
    });
    expect(() => scheduler.schedule(tooOften, { periodMs: 10 })).toThrow(/period too short/);
  });
});
