import { systemActor } from '../../platform/audit/audit';
import type { ServiceDependencies } from '../../platform/request-context';
import type { LifecyclePolicy } from './lifecycle-policy';
import { MAX_LISTED_IDS } from './lifecycle.schemas';

export const LIFECYCLE_SWEEP_JOB = 'lifecycle.sweep';
/** The audit actor of everything a sweep does; each event's cause carries the sweep's id. */
export const SWEEP_ACTOR = systemActor(LIFECYCLE_SWEEP_JOB);

/** What every step of one sweep shares. */
export interface SweepContext {
  readonly deps: ServiceDependencies;
  readonly policy: LifecyclePolicy;
  readonly sweepId: string;
  /** Business time of the whole sweep, read once from the injectable clock. */
  readonly now: Date;
  /** Called between batches (the job handler extends its lease there). */
  readonly onBatch: () => Promise<void>;
}

/** What a step did: an exact count, and the ids (the first MAX_LISTED_IDS). */
export interface StepTally {
  count: number;
  mailboxIds: string[];
}

export const emptyTally = (): StepTally => ({ count: 0, mailboxIds: [] });

export function addToTally(tally: StepTally, ids: string[]): void {
  tally.count += ids.length;
  tally.mailboxIds.push(...ids.slice(0, Math.max(0, MAX_LISTED_IDS - tally.mailboxIds.length)));
}
