import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database';
import { LeaseKeeper, LeaseLostError } from './lease-keeper';

/**
 * The heartbeat against a scripted database: each renewal takes the next scripted answer (rows
 * updated, or an error). The real queries are covered by job-runner.test.ts.
 */
type Answer = { rows: { id: number }[] } | Error;

function scriptedDatabase(answers: Answer[]) {
  let calls = 0;
  const database = {
    execute: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)]!;
      calls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { db: database as unknown as Database, calls: () => calls };
}

function recordingLog() {
  const warnings: string[] = [];
  const log = {
    warn: (...args: unknown[]) => {
      warnings.push(String(args[args.length - 1]));
    },
  };
  return { log: log as unknown as FastifyBaseLogger, warnings };
}

async function eventually(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the awaited condition never held');
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const RENEWED = { rows: [{ id: 1 }] };

describe('the job lease heartbeat', () => {
  it('logs a failed renewal, notes the outage, and keeps beating', async () => {
    const database = scriptedDatabase([refused(), refused(), RENEWED]);
    const { log, warnings } = recordingLog();
    let outages = 0;
    const keeper = new LeaseKeeper({
      db: database.db,
      jobId: 1,
      workerId: 'w',
      leaseSeconds: 1,
      heartbeatSeconds: 0.02,
      log,
      onOutage: () => {
        outages += 1;
      },
    });
    keeper.start();
    try {
      await eventually(() => database.calls() >= 4);
    } finally {
      keeper.stop();
    }
    expect(outages).toBe(2);
    expect(warnings.filter((warning) => warning.startsWith('could not renew'))).toHaveLength(2);
    expect(keeper.signal.aborted).toBe(false);
    await expect(keeper.renew()).resolves.toBeUndefined();
  });

  it('tells the handler when another runner took the job, and stops beating', async () => {
    const database = scriptedDatabase([RENEWED, { rows: [] }]);
    const { log } = recordingLog();
    const keeper = new LeaseKeeper({
      db: database.db,
      jobId: 7,
      workerId: 'w',
      leaseSeconds: 1,
      heartbeatSeconds: 0.02,
      log,
      onOutage: () => undefined,
    });
    keeper.start();
    await eventually(() => keeper.signal.aborted);
    const callsWhenLost = database.calls();
    expect(keeper.signal.reason).toBeInstanceOf(LeaseLostError);
    await expect(keeper.renew()).rejects.toBeInstanceOf(LeaseLostError);
    // No renewal is sent once the lease is known lost.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(database.calls()).toBe(callsWhenLost);
    keeper.stop();
  });
});
