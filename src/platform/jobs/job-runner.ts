import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../../db/database';

export interface ClaimedJob {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export interface JobContext {
  readonly job: ClaimedJob;
  readonly log: FastifyBaseLogger;
  /** Long handlers call this now and then so that nobody takes their job over. */
  extendLease(): Promise<void>;
}

export type JobHandler = (context: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  /** How long a claimed job stays ours without a lease extension (a crashed runner's job comes back after it). */
  leaseSeconds?: number;
  /** Delay before attempt n+1: `retryBaseSeconds * 2^(n-1)`. */
  retryBaseSeconds?: number;
  workerId?: string;
}

/**
 * Runs jobs from the `jobs` table. Claiming uses `FOR UPDATE SKIP LOCKED`, so any number of
 * runners (threads of one process or several processes) can share the table and each job is
 * taken by one of them; a job whose runner died is taken again when its lease runs out.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly leaseSeconds: number;
  private readonly retryBaseSeconds: number;
  readonly workerId: string;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(private readonly db: Database, private readonly log: FastifyBaseLogger, options: JobRunnerOptions = {}) {
    this.leaseSeconds = options.leaseSeconds ?? 300;
    this.retryBaseSeconds = options.retryBaseSeconds ?? 5;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
  }

  register(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  /** Claims and runs one due job; false when none was due. */
  async runNext(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  /** Runs due jobs until none is left (tests, and the poll loop). */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runNext()) count += 1;
    return count;
  }

  start(pollIntervalMs: number, concurrency: number): void {
    if (this.loop) return;
    this.stopping = false;
    const workers = Array.from({ length: concurrency }, () => this.poll(pollIntervalMs));
    this.loop = Promise.all(workers).then(() => undefined);
  }

  /** Lets running jobs finish, then stops polling. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async poll(pollIntervalMs: number): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.runNext();
      } catch (error) {
        this.log.error({ err: error }, 'job runner could not claim a job');
      }
      if (!worked && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async claim(): Promise<ClaimedJob | undefined> {
    const names = [...this.handlers.keys()];
    if (names.length === 0) return undefined;
    const [row] = await selectRows<{ id: string | number; name: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>(this.db, sql`
      update jobs
         set status = 'running', attempts = attempts + 1, locked_by = ${this.workerId},
             locked_until = now() + make_interval(secs => ${this.leaseSeconds}), started_at = now()
       where id = (
         select id from jobs
          where name in (${sql.join(names.map((name) => sql`${name}`), sql`, `)})
            and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
          order by run_at, id
          limit 1
          for update skip locked)
      returning id, name, payload, attempts, max_attempts`);
    if (!row) return undefined;
    return { id: Number(row.id), name: row.name, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts };
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const log = this.log.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    const handler = this.handlers.get(job.name)!;
    const context: JobContext = { job, log, extendLease: () => this.extendLease(job.id) };
    try {
      const result = await handler(context);
      await this.db.execute(sql`
        update jobs set status = 'succeeded', finished_at = now(), locked_by = null, locked_until = null,
                        result = ${JSON.stringify(result ?? null)}::jsonb
         where id = ${job.id} and locked_by = ${this.workerId}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.attempts >= job.maxAttempts;
      log.warn({ err: error, final }, final ? 'job failed for good' : 'job failed, will retry');
      const delaySeconds = this.retryBaseSeconds * 2 ** (job.attempts - 1);
      await this.db.execute(sql`
        update jobs set status = ${final ? 'failed' : 'queued'}, last_error = ${message.slice(0, 2000)},
                        locked_by = null, locked_until = null,
                        finished_at = ${final ? sql`now()` : sql`null`},
                        run_at = now() + make_interval(secs => ${delaySeconds})
         where id = ${job.id} and locked_by = ${this.workerId}`);
    }
  }

  private async extendLease(jobId: number): Promise<void> {
    await this.db.execute(sql`
      update jobs set locked_until = now() + make_interval(secs => ${this.leaseSeconds})
       where id = ${jobId} and locked_by = ${this.workerId}`);
  }
}
