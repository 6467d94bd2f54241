import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { jobs } from '../../db/schema';
import type { JobOf } from './job-definition';

/** Attempts of a job whose definition does not say. */
const DEFAULT_MAX_ATTEMPTS = 5;

export interface EnqueueOptions {
  /** At most one job is ever enqueued per key; a second enqueue is a no-op (scheduled sweeps use this). */
  singletonKey?: string;
  runAt?: Date;
  /** Overrides the definition's `maxAttempts` for this job. */
  maxAttempts?: number;
}

/**
 * Enqueues a job of `definition` with `payload`, which must be of the definition's payload type
 * (the runner checks it again against the schema when it claims the job). Pass the caller's
 * transaction so that the job exists if and only if the change that asked for it commits (an
 * import row, an outbox message...). Answers the job's id (undefined: the singleton key was taken).
 */
export async function enqueueJob<Payload>(
  executor: Executor,
  definition: JobOf<Payload>,
  payload: NoInfer<Payload>,
  options: EnqueueOptions = {},
): Promise<number | undefined> {
  const [row] = await executor
    .insert(jobs)
    .values({
      name: definition.name,
      payload,
      singletonKey: options.singletonKey ?? null,
      runAt: options.runAt ?? sql`now()`,
      maxAttempts: options.maxAttempts ?? definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    })
    .onConflictDoNothing({ target: jobs.singletonKey })
    .returning({ id: jobs.id });
  return row?.id;
}

/**
 * Enqueues many jobs of one kind in one statement (e.g. a delivery per reminder sent), in the
 * caller's transaction like `enqueueJob`. The payloads travel as one JSON parameter.
 */
export async function enqueueJobs<Payload>(
  executor: Executor,
  definition: JobOf<Payload>,
  payloads: readonly NoInfer<Payload>[],
  options: Omit<EnqueueOptions, 'singletonKey'> = {},
): Promise<void> {
  if (payloads.length === 0) return;
  const maxAttempts = options.maxAttempts ?? definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  await executor.execute(sql`
    insert into ${jobs} (name, payload, run_at, max_attempts)
    select ${definition.name}, payload, ${options.runAt ?? sql`now()`}, ${maxAttempts}
      from jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) as payload`);
}
