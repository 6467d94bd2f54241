import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { createTestApp, type TestApp } from '../../../test/harness';

/** The queue's daily purge: finished jobs past BALISE_JOBS_RETENTION_DAYS go, work still owed stays. */
const clock = new ManualClock(new Date().toISOString());
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ clock, environment: { BALISE_JOBS_RETENTION_DAYS: '7' } });
});
afterAll(() => test.close());

const daysAgo = (days: number) => new Date(clock.now().getTime() - days * 86_400_000).toISOString();

it('deletes jobs finished more than the retention ago, and keeps recent and unfinished ones', async () => {
  const insert = (name: string, status: string, finishedDaysAgo: number | null, runDaysAgo = 10) =>
    test.app.db.execute(
      sql`insert into jobs (name, payload, status, run_at, finished_at)
          values (${name}, '{}'::jsonb, ${status}, ${daysAgo(runDaysAgo)},
                  ${finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo)})`,
    );
  await insert('test.old-success', 'succeeded', 8);
  await insert('test.old-failure', 'failed', 30);
  await insert('test.recent-success', 'succeeded', 6);
  // Never run, and far in the past: work still owed, whatever its age (run_at in the future keeps drain off it).
  await insert('test.owed', 'queued', null, -1);

  await test.app.scheduler.tick();
  await test.app.jobs.drain();

  const names = await selectRows<{ name: string }>(
    test.app.db,
    sql`select name from jobs where name like 'test.%' order by name`,
  );
  expect(names.map((row) => row.name)).toEqual(['test.owed', 'test.recent-success']);
  const [purge] = await selectRows<{ status: string; result: { deleted: number } }>(
    test.app.db,
    sql`select status, result from jobs where name = 'jobs.purge'`,
  );
  expect(purge).toEqual({ status: 'succeeded', result: { deleted: 2 } });
});
