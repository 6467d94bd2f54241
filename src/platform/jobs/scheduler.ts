import type { FastifyBaseLogger } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Database } from '../../db/database';
import type { Clock } from '../../shared/clock';
import type { JobOf } from './job-definition';
import { enqueueJob } from './job-queue';

/** The payload of every periodic job: the start of the period it runs for (ISO 8601). */
export const PeriodicJobPayloadSchema = Type.Object({ periodStart: Type.String() });
export type PeriodicJobPayload = Static<typeof PeriodicJobPayloadSchema>;

export interface ScheduleOptions {
  /** Length of a period in milliseconds; periods are aligned on the Unix epoch, in UTC (a day starts at midnight UTC). */
  periodMs: number;
}

interface Schedule extends ScheduleOptions {
  definition: JobOf<PeriodicJobPayload>;
  /** The last period this process enqueued, so it asks the database once per period, not at every tick. */
  lastEnqueuedPeriod: number | undefined;
}

/** The start of the period `at` falls in. */
export function periodStartOf(at: Date, periodMs: number): Date {
  return new Date(Math.floor(at.getTime() / periodMs) * periodMs);
}

/** The singleton key of one period's run: every process computes the same one, so the queue keeps one job. */
export const periodKeyOf = (name: string, periodStart: Date) => `${name}:${periodStart.toISOString()}`;

/**
 * Periodic jobs on the PostgreSQL queue. At every tick each process enqueues the current period's
 * job under a singleton key (`<name>:<period start>`): however many API processes tick, the
 * queue holds one job per period, and its runners take it once. A period missed while no process
 * ran is not caught up: the next period's job does the work (sweeps look at the state, not at
 * what happened since the last run). Time is the app's clock, so tests move periods by hand.
 */
export class Scheduler {
  private readonly schedules = new Map<string, Schedule>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Enqueues a job of `definition` (its payload: `PeriodicJobPayloadSchema`) once per period. */
  schedule(definition: JobOf<PeriodicJobPayload>, options: ScheduleOptions): void {
    const { name } = definition;
    if (!Number.isInteger(options.periodMs) || options.periodMs < 1000)
      throw new Error(`schedule ${name}: period too short`);
    this.schedules.set(name, { ...options, definition, lastEnqueuedPeriod: undefined });
  }

  /** Enqueues the current period's job of every schedule that this process has not enqueued yet; answers the new job ids. */
  async tick(): Promise<number[]> {
    const now = this.clock.now();
    const enqueued: number[] = [];
    for (const schedule of this.schedules.values()) {
      const periodStart = periodStartOf(now, schedule.periodMs);
      if (schedule.lastEnqueuedPeriod === periodStart.getTime()) continue;
      const { definition } = schedule;
      const id = await enqueueJob(
        this.db,
        definition,
        { periodStart: periodStart.toISOString() },
        {
          singletonKey: periodKeyOf(definition.name, periodStart),
        },
      );
      schedule.lastEnqueuedPeriod = periodStart.getTime();
      if (id !== undefined) enqueued.push(id);
    }
    return enqueued;
  }

  /** Ticks now and then every `tickMs` until stopped (the jobs plugin starts it with the runner). */
  start(tickMs: number): void {
    if (this.timer || this.schedules.size === 0) return;
    const run = () => {
      this.ticking = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, 'scheduler could not enqueue a periodic job'));
    };
    run();
    this.timer = setInterval(run, tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }
}
