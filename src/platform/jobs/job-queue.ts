import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { jobs } from '../../db/schema';

export interface EnqueueOptions {
  /** At most one job is ever enqueued per key; a second enqueue is a no-op (scheduled sweeps use this). */
  singletonKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Enqueues a job. Pass the caller's transaction so that the job exists if and only if the
 * change that asked for it commits (an import row, an outbox message...).
 */
export async function enqueueJob(
  executor: Executor,
  name: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<number | undefined> {
  const [row] = await executor
    .insert(jobs)
    .values({
      name,
      payload,
      singletonKey: options.singletonKey ?? null,
      runAt: options.runAt ?? sql`now()`,
      maxAttempts: options.maxAttempts ?? 5,
    })
    .onConflictDoNothing({ target: jobs.singletonKey })
    .returning({ id: jobs.id });
  return row?.id;
}

/**
 * Enqueues many jobs of one kind in one statement (e.g. a delivery per reminder sent), in the
 * caller's transaction like `enqueueJob`. The payloads travel as one JSON parameter.
 */
export async function enqueueJobs(
  executor: Executor,
  name: string,
  payloads: readonly Record<string, unknown>[],
  options: Omit<EnqueueOptions, 'singletonKey'> = {},
): Promise<void> {
  if (payloads.length === 0) return;
  await executor.execute(sql`
    insert into ${jobs} (name, payload, run_at, max_attempts)
    select ${name}, payload, ${options.runAt ?? sql`now()`}, ${options.maxAttempts ?? 5}
      from jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) as payload`);
}
