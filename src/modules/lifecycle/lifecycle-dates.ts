import type { LifecyclePolicy } from './lifecycle-policy';
import { inactivityDeadline, lastSignOfLife, purgeDateOf, type LifeSigns } from './lifecycle-policy';

/** The lifecycle dates of one box, as an administrator reads them in the deleted-boxes export. */
export interface LifecycleDates {
  /** When the box was deleted; null while it is not. */
  deletedAt: Date | null;
  /** When it will be deleted for inactivity, barring a sign of life; null once deleted. */
  deletionDueAt: Date | null;
  /** When its personal data is purged (retention over, no restore possible). */
  purgeAt: Date;
}

/** A deleted box is purged `retentionMonths` after its deletion; one in use, that long after its due date. */
export function lifecycleDatesOf(box: LifeSigns & { deletedAt: Date | null }, policy: LifecyclePolicy): LifecycleDates {
  if (box.deletedAt !== null)
    return { deletedAt: box.deletedAt, deletionDueAt: null, purgeAt: purgeDateOf(box.deletedAt, policy) };
  const deletionDueAt = inactivityDeadline(lastSignOfLife(box), policy);
  return { deletedAt: null, deletionDueAt, purgeAt: purgeDateOf(deletionDueAt, policy) };
}
