import type { FastifyBaseLogger } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Executor } from '../../db/database';

/** A job as claimed by a runner; `payload` has passed the definition's schema. */
export interface ClaimedJob<Payload = unknown> {
  id: number;
  name: string;
  payload: Payload;
  attempts: number;
  maxAttempts: number;
}

export interface JobContext<Payload = unknown> {
  readonly job: ClaimedJob<Payload>;
  readonly log: FastifyBaseLogger;
  /**
   * Aborted when this runner lost the job's lease (its renewals failed for longer than the lease
   * and another runner took the job): the handler should stop writing.
   */
  readonly signal: AbortSignal;
  /**
   * Renews the lease now (the runner also renews it every heartbeat while the handler runs).
   * Throws `LeaseLostError` when another runner took the job: long handlers call it between
   * steps to learn that they must stop.
   */
  extendLease(): Promise<void>;
  /**
   * Records that the job's durable work reached `marker`, a number in a unit of the job's own
   * that only grows across attempts (a restarted step reaching the same point again is no
   * progress). Pass the transaction that commits that work, so that both commit together.
   */
  reportProgress(marker: number, executor?: Executor): Promise<void>;
}

/** What `onAbandoned` gets: the job as claimed again, after an attempt that stopped without progress. */
export interface AbandonedJobContext<Payload = unknown> {
  readonly job: ClaimedJob<Payload>;
  readonly log: FastifyBaseLogger;
}

/**
 * Runs one attempt; what it answers is stored as the job's `result`. `deps` is what the module
 * handed `app.jobs.register` at start-up (the database, a mail transport, settings…).
 */
export type JobHandler<Payload, Result, Deps = void> = (context: JobContext<Payload>, deps: Deps) => Promise<Result>;

/**
 * Called, instead of the handler, when the job's previous attempt was abandoned without
 * progress: its lease ran out (its process died or froze) and it had not moved its progress
 * marker. Running the handler again would most likely kill the process again (a crafted file),
 * so the job ends `failed` here and the hook records why in the job's own terms (an import:
 * `IMPORT_CRASHED`, audited). Without a hook such a job runs again, up to its `maxAttempts`.
 */
export type AbandonedJobHandler<Payload, Deps = void> = (
  context: AbandonedJobContext<Payload>,
  deps: Deps,
) => Promise<void>;

/** A kind of job: its name, the payload it takes, what it answers and how it runs. */
export interface JobDefinition<Payload, Result = unknown, Deps = void> {
  readonly name: string;
  /** The payload's schema, checked when the job is claimed: a payload that does not match fails the job for good. */
  readonly payload: TSchema;
  /** Attempts before the job stays `failed` (5 unless said here; `enqueueJob` may override it). */
  readonly maxAttempts: number | undefined;
  readonly handler: JobHandler<Payload, Result, Deps>;
  readonly onAbandoned: AbandonedJobHandler<Payload, Deps> | undefined;
  /** Why `payload` does not match the schema, or undefined when it does. */
  payloadProblem(payload: unknown): string | undefined;
}

/** Any job taking `Payload`, whatever it answers or needs: what `enqueueJob` and the scheduler accept. */
export type JobOf<Payload> = JobDefinition<Payload, unknown, never>;

export interface JobSpecification<PayloadSchema extends TSchema, Result, Deps> {
  /** Unique among jobs, `<module>.<verb>` (e.g. `import.process`): the `jobs.name` column and the log's `job`. */
  name: string;
  payload: PayloadSchema;
  maxAttempts?: number;
  handler: JobHandler<Static<PayloadSchema>, Result, Deps>;
  onAbandoned?: AbandonedJobHandler<Static<PayloadSchema>, Deps>;
}

/**
 * Defines a job. The payload's type comes from its TypeBox schema, the result's from the
 * handler (declare it on the handler), and `Deps` from the handler's second parameter (nothing
 * when it takes none). Enqueue it with `enqueueJob(executor, definition, payload)`; register it
 * with `app.jobs.register(definition, deps)` in its module's `<module>.jobs.ts`.
 */
export function defineJob<PayloadSchema extends TSchema, Result, Deps = void>(
  specification: JobSpecification<PayloadSchema, Result, Deps>,
): JobDefinition<Static<PayloadSchema>, Result, Deps> {
  const check = TypeCompiler.Compile(specification.payload);
  return {
    name: specification.name,
    payload: specification.payload,
    maxAttempts: specification.maxAttempts,
    handler: specification.handler,
    onAbandoned: specification.onAbandoned,
    payloadProblem(payload) {
      if (check.Check(payload)) return undefined;
      const first = check.Errors(payload).First();
      return first ? `${first.path || '/'}: ${first.message}` : 'does not match its schema';
    },
  };
}
