import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import { selectRows, type Database, type Executor } from '../../db/database';
import { isDatabaseUnavailable } from '../../db/errors';
import type { AbandonedJobContext, ClaimedJob, JobContext, JobDefinition } from './job-definition';
import { LeaseKeeper, LeaseLostError } from './lease-keeper';

export { LeaseLostError } from './lease-keeper';

/** A definition as the runner keeps it, bound to the dependencies its module registered it with. */
interface RegisteredJob {
  payloadProblem(payload: unknown): string | undefined;
  run(context: JobContext): Promise<unknown>;
  abandon: ((context: AbandonedJobContext) => Promise<void>) | undefined;
}

export interface JobRunnerOptions {
  /** How long a claimed job stays ours without a renewal (a dead runner's job comes back after it). */
  leaseSeconds?: number;
  /** How often the runner renews the lease of a job it runs; at most half the lease. */
  heartbeatSeconds?: number;
  /** Delay before attempt n+1: `retryBaseSeconds * 2^(n-1)`. */
  retryBaseSeconds?: number;
  workerId?: string;
}

interface ClaimedRow {
  id: string | number;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  was_abandoned: boolean;
  had_progressed: boolean;
}

/**
 * Runs jobs from the `jobs` table. Claiming uses `FOR UPDATE SKIP LOCKED`, so any number of
 * runners (threads of one process or several processes) can share the table and each job is
 * taken by one of them. A claimed job is leased; a heartbeat renews the lease while its handler
 * runs, so a job whose runner died (lease run out) is taken again by another runner within about
 * one lease. Every database call of the loop may fail while the database is away: the loop
 * logs, waits and carries on.
 */
export class JobRunner {
  private readonly definitions = new Map<string, RegisteredJob>();
  private readonly leaseSeconds: number;
  private readonly heartbeatSeconds: number;
  private readonly retryBaseSeconds: number;
  readonly workerId: string;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  /** When this runner last met the database unavailable (ms since the epoch). */
  private lastOutageAt: number | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
    options: JobRunnerOptions = {},
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.heartbeatSeconds = options.heartbeatSeconds ?? Math.max(1, Math.floor(this.leaseSeconds / 3));
    this.retryBaseSeconds = options.retryBaseSeconds ?? 5;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
  }

  /**
   * Makes this runner take jobs of `definition`, run with `deps` (what its handler's second
   * parameter asks for; nothing when it asks for none). Modules call it from `<module>.jobs.ts`.
   */
  register<Payload, Result, Deps>(
    definition: JobDefinition<Payload, Result, Deps>,
    ...withDeps: [Deps] extends [void] ? [] : [deps: Deps]
  ): void {
    const deps = withDeps[0] as Deps;
    // The runner hands the handlers only payloads that passed `payloadProblem`: they are `Payload`.
    const { handler, onAbandoned } = definition;
    this.definitions.set(definition.name, {
      payloadProblem: (payload) => definition.payloadProblem(payload),
      run: (context) => handler(context as JobContext<Payload>, deps),
      abandon: onAbandoned && ((context) => onAbandoned(context as AbandonedJobContext<Payload>, deps)),
    });
  }

  /** Claims and runs one due job; false when none was due. */
  async runNext(): Promise<boolean> {
    const claimed = await this.noting(this.claim());
    if (!claimed) return false;
    await this.execute(claimed);
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
        this.log.error({ err: error }, 'job runner could not claim or settle a job');
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

  /** Remembers database outages on the way, for `abandonedByOutage`. */
  private async noting<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.lastOutageAt = Date.now();
      throw error;
    }
  }

  /**
   * A job found abandoned without progress just after this runner met the database unavailable
   * was most likely stopped by that outage (its runner could record neither progress, nor its
   * failure, nor a renewal), not by its input: it runs again rather than being declared crashed.
   */
  private abandonedByOutage(): boolean {
    return this.lastOutageAt !== undefined && Date.now() - this.lastOutageAt < 2 * this.leaseSeconds * 1000;
  }

  private async claim(): Promise<{ job: ClaimedJob; abandonedWithoutProgress: boolean } | undefined> {
    const names = [...this.definitions.keys()];
    if (names.length === 0) return undefined;
    // The candidate's columns are read before the update: whether its previous attempt was
    // abandoned (still `running`, lease run out) and whether that attempt moved its progress.
    // `run_at` keeps milliseconds, so a job enqueued with now() is stored rounded, as often up as
    // down: compared with now() as it is, it was not yet due to a claim made within the same
    // half-millisecond. Compared at the column's precision, a job is due to every claim after it.
    const [row] = await selectRows<ClaimedRow>(
      this.db,
      sql`
      with candidate as (
        select id, status = 'running' as was_abandoned, progressed_in_attempt is not distinct from attempts as had_progressed
          from jobs
         where name in (${sql.join(
           names.map((name) => sql`${name}`),
           sql`, `,
         )})
           and ((status = 'queued' and run_at <= now()::timestamptz(3)) or (status = 'running' and locked_until < now()))
         order by run_at, id
         limit 1
         for update skip locked)
      update jobs
         set status = 'running', attempts = jobs.attempts + 1, locked_by = ${this.workerId},
             locked_until = now() + make_interval(secs => ${this.leaseSeconds}), started_at = now()
        from candidate
       where jobs.id = candidate.id
      returning jobs.id, jobs.name, jobs.payload, jobs.attempts, jobs.max_attempts, candidate.was_abandoned, candidate.had_progressed`,
    );
    if (!row) return undefined;
    const job = {
      id: Number(row.id),
      name: row.name,
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
    };
    return { job, abandonedWithoutProgress: row.was_abandoned && !row.had_progressed };
  }

  private async execute({
    job,
    abandonedWithoutProgress,
  }: {
    job: ClaimedJob;
    abandonedWithoutProgress: boolean;
  }): Promise<void> {
    const log = this.log.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    const definition = this.definitions.get(job.name)!;
    const payloadProblem = definition.payloadProblem(job.payload);
    if (payloadProblem !== undefined) {
      await this.refusePayload(job, payloadProblem, log);
      return;
    }
    if (abandonedWithoutProgress) {
      if (definition.abandon && !this.abandonedByOutage()) {
        await this.giveUpAbandoned(job, definition, log);
        return;
      }
      if (job.attempts > job.maxAttempts) {
        await this.finishAbandoned(job, log);
        return;
      }
    }
    const lease = new LeaseKeeper({
      db: this.db,
      jobId: job.id,
      workerId: this.workerId,
      leaseSeconds: this.leaseSeconds,
      heartbeatSeconds: this.heartbeatSeconds,
      log,
      onOutage: () => {
        this.lastOutageAt = Date.now();
      },
    });
    const context: JobContext = {
      job,
      log,
      signal: lease.signal,
      extendLease: () => this.noting(lease.renew()),
      reportProgress: (marker, executor) => this.noting(this.reportProgress(job, marker, executor)),
    };
    lease.start();
    let outcome: { result: unknown } | { error: unknown };
    try {
      outcome = { result: await definition.run(context) };
    } catch (error) {
      outcome = { error };
    } finally {
      lease.stop();
    }
    await this.noting(this.settle(job, outcome, log));
  }

  /** Records the outcome, unless another runner took the job meanwhile (then its outcome counts). */
  private async settle(
    job: ClaimedJob,
    outcome: { result: unknown } | { error: unknown },
    log: FastifyBaseLogger,
  ): Promise<void> {
    if ('result' in outcome) {
      await this.db.execute(sql`
        update jobs set status = 'succeeded', finished_at = now(), locked_by = null, locked_until = null,
                        result = ${JSON.stringify(outcome.result ?? null)}::jsonb
         where id = ${job.id} and locked_by = ${this.workerId}`);
      return;
    }
    const { error } = outcome;
    if (error instanceof LeaseLostError) {
      log.warn('job stopped: another runner took it over');
      return;
    }
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

  /**
   * A payload its definition's schema refuses would fail the same way at every attempt (it was
   * enqueued by older code, or written by hand): the job fails for good at once, its handler
   * never called.
   */
  private async refusePayload(job: ClaimedJob, problem: string, log: FastifyBaseLogger): Promise<void> {
    const message = `payload refused by the schema of ${job.name}: ${problem}`;
    log.error({ problem }, 'job payload does not match its definition: failed without running');
    await this.noting(
      this.db.execute(sql`
      update jobs set status = 'failed', finished_at = now(), locked_by = null, locked_until = null,
                      last_error = ${message.slice(0, 2000)}
       where id = ${job.id} and locked_by = ${this.workerId}`),
    );
  }

  private async giveUpAbandoned(job: ClaimedJob, definition: RegisteredJob, log: FastifyBaseLogger): Promise<void> {
    log.error('job abandoned without progress (its process probably crashed on it): not run again');
    await this.noting(definition.abandon!({ job, log }));
    await this.finishAbandoned(job, log);
  }

  private async finishAbandoned(job: ClaimedJob, log: FastifyBaseLogger): Promise<void> {
    if (job.attempts > job.maxAttempts) log.error('job abandoned after its last attempt: not run again');
    await this.noting(
      this.db.execute(sql`
      update jobs set status = 'failed', finished_at = now(), locked_by = null, locked_until = null,
                      last_error = 'abandoned: the attempt stopped without progress (its process may have crashed) before its lease ran out'
       where id = ${job.id} and locked_by = ${this.workerId}`),
    );
  }

  private async reportProgress(job: ClaimedJob, marker: number, executor: Executor = this.db): Promise<void> {
    await executor.execute(sql`
      update jobs set progress = ${marker}, progressed_in_attempt = attempts
       where id = ${job.id} and locked_by = ${this.workerId} and progress < ${marker}`);
  }
}
