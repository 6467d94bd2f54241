import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../../db/database';
import { isDatabaseUnavailable } from '../../db/errors';

/** Thrown to a handler whose job was taken by another runner: it must stop writing. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: the lease was lost to another runner`);
    this.name = 'LeaseLostError';
  }
}

export interface LeaseKeeperOptions {
  db: Database;
  jobId: number;
  workerId: string;
  leaseSeconds: number;
  heartbeatSeconds: number;
  log: FastifyBaseLogger;
  /** Told when a renewal failed because the database was unavailable. */
  onOutage(): void;
}

/**
 * The heartbeat of one running job: renews its lease every `heartbeatSeconds`, whatever the
 * handler does, so that only a runner that stopped (process killed, event loop frozen) loses its
 * job, within one lease. A failed renewal is logged and the next one tries again: a database
 * away for less than the lease costs nothing. A renewal that finds the job taken by another
 * runner aborts `signal`, and every later `renew()` throws `LeaseLostError`.
 */
export class LeaseKeeper {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(private readonly options: LeaseKeeperOptions) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    this.timer = setInterval(() => this.beat(), this.options.heartbeatSeconds * 1000);
    // A heartbeat alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Renews the lease now; throws `LeaseLostError` once the job belongs to another runner. */
  async renew(): Promise<void> {
    if (this.signal.aborted) throw new LeaseLostError(this.options.jobId);
    const { db, jobId, workerId, leaseSeconds } = this.options;
    const rows = await selectRows<{ id: unknown }>(
      db,
      sql`
      update jobs set locked_until = now() + make_interval(secs => ${leaseSeconds})
       where id = ${jobId} and locked_by = ${workerId} and status = 'running'
      returning id`,
    );
    if (rows.length === 0) {
      this.stop();
      this.controller.abort(new LeaseLostError(jobId));
      throw new LeaseLostError(jobId);
    }
  }

  private beat(): void {
    // A renewal slower than the heartbeat (a database in trouble) is not doubled up.
    if (this.renewing) return;
    this.renewing = this.renew()
      .catch((error: unknown) => {
        if (error instanceof LeaseLostError) {
          this.options.log.warn('job lease lost to another runner; the handler is told to stop');
          return;
        }
        if (isDatabaseUnavailable(error)) this.options.onOutage();
        this.options.log.warn({ err: error }, 'could not renew a job lease; trying again at the next heartbeat');
      })
      .finally(() => {
        this.renewing = undefined;
      });
  }
}
