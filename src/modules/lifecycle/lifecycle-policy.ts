import type { LifecycleConfig } from '../../config/config';
import { isoDate } from '../../shared/clock';

/**
 * The deck's lifecycle rules as pure functions of "now" (business time from the injectable clock):
 * - a box is deactivated on its expiry date (from 00:00 UTC that day);
 * - a box is deleted after `inactivityDays` without a sign of life, its owner and admins being
 *   warned `warningDays` before;
 * - a deleted box stays restorable `retentionMonths`, then its personal data is purged;
 * - an ended import's upload is kept `importFileRetentionHours`, then deleted;
 * - an audit event is kept `auditRetentionMonths`, then deleted.
 */
export type LifecyclePolicy = Pick<
  LifecycleConfig,
  'inactivityDays' | 'warningDays' | 'retentionMonths' | 'importFileRetentionHours' | 'auditRetentionMonths'
>;

export const DAY_MS = 86_400_000;

/**
 * The last sign of life of a box: its last reported activity, or else when it was created,
 * registered (validated or finished by its user) or restored, whichever is latest. A box that
 * never had activity thus gets a full period from its creation (or its registration, if later);
 * a restored box gets a fresh period from its restoration.
 */
export interface LifeSigns {
  createdAt: Date;
  registeredAt: Date | null;
  lastActivityAt: Date | null;
  restoredAt: Date | null;
}

export function lastSignOfLife(box: LifeSigns): Date {
  const instants = [box.createdAt, box.registeredAt, box.lastActivityAt, box.restoredAt].filter(
    (at): at is Date => at !== null,
  );
  return new Date(Math.max(...instants.map((at) => at.getTime())));
}

/** When the box becomes due for deletion: the first sweep at or after this instant deletes it. */
export function inactivityDeadline(signOfLife: Date, policy: LifecyclePolicy): Date {
  return new Date(signOfLife.getTime() + policy.inactivityDays * DAY_MS);
}

/** Boxes whose last sign of life is at or before this instant are due for deletion. */
export function inactivityCutoff(now: Date, policy: LifecyclePolicy): Date {
  return new Date(now.getTime() - policy.inactivityDays * DAY_MS);
}

/** Boxes whose last sign of life is at or before this instant are within the first warning's reach. */
export function warningCutoff(now: Date, policy: LifecyclePolicy): Date {
  const earliest = Math.max(...policy.warningDays);
  return new Date(now.getTime() - (policy.inactivityDays - earliest) * DAY_MS);
}

/**
 * The warning due now for a deadline: the closest threshold already reached (7 rather than 30
 * when both are, e.g. after sweeps were paused), or null when none is reached yet or the
 * deadline has passed (the box is then deleted, not warned).
 */
export function warningDueFor(deadline: Date, now: Date, policy: LifecyclePolicy): number | null {
  const remainingMs = deadline.getTime() - now.getTime();
  if (remainingMs <= 0) return null;
  const reached = policy.warningDays.filter((days) => remainingMs <= days * DAY_MS);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** Whole days left before the deadline, rounded up (what the warning tells the owner). */
export const daysLeftUntil = (deadline: Date, now: Date) => Math.ceil((deadline.getTime() - now.getTime()) / DAY_MS);

/** One warning per box, deadline and threshold, ever: the outbox's dedupe key. */
export const deletionWarningKey = (mailboxId: string, deadline: Date, days: number) =>
  `deletion-warning:${mailboxId}:${isoDate(deadline)}:${days}`;

/** `months` calendar months before `at`, in UTC, the day clamped to the month's end (31 Aug − 6 months = 28/29 Feb). */
export function monthsBefore(at: Date, months: number): Date {
  const target = new Date(
    Date.UTC(
      at.getUTCFullYear(),
      at.getUTCMonth() - months,
      1,
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return target;
}

/** Boxes deleted at or before this instant are past retention: no restore, personal data purged. */
export const retentionCutoff = (now: Date, policy: LifecyclePolicy) => monthsBefore(now, policy.retentionMonths);

/** Audit events that occurred before this instant are past their retention. */
export const auditRetentionCutoff = (now: Date, policy: LifecyclePolicy) =>
  monthsBefore(now, policy.auditRetentionMonths);

/** Imports that ended at or before this instant have outlived their upload's retention. */
export function importFileCutoff(now: Date, policy: LifecyclePolicy): Date {
  return new Date(now.getTime() - policy.importFileRetentionHours * 3_600_000);
}

/**
 * When the data of a box deleted at `deletedAt` is purged: the first instant at which
 * `retentionCutoff` reaches it, which the next sweep acts on. `retentionMonths` later, unless the
 * month then is too short for the day (deleted 31 August, six months: 1 March, not 28 February,
 * since `monthsBefore` clamps 28 February back to 28 August).
 */
export function purgeDateOf(deletedAt: Date, policy: LifecyclePolicy): Date {
  const months = policy.retentionMonths;
  const sameDay = new Date(deletedAt.getTime());
  sameDay.setUTCDate(1);
  sameDay.setUTCMonth(sameDay.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(sameDay.getUTCFullYear(), sameDay.getUTCMonth() + 1, 0)).getUTCDate();
  if (deletedAt.getUTCDate() <= lastDay) {
    sameDay.setUTCDate(deletedAt.getUTCDate());
    return sameDay;
  }
  return new Date(Date.UTC(sameDay.getUTCFullYear(), sameDay.getUTCMonth() + 1, 1));
}
