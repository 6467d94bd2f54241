import { receivesInvitations } from '../../../domain/mailbox-vocabulary';
import type { ImportCounts } from '../imports.repository';
import type { RowPlan } from '../planning/plan-row';

export type InvitationOutcome = 'queued' | 'skipped';

/**
 * What `notify` does for one row: a created MED, PER or INT box is invited; a created ORG or APP
 * box is created all the same, without an invitation (its reference address has no person to
 * complete a registration), and counted as skipped; updated, unchanged and failed rows invite nobody.
 */
export function invitationOf(plan: RowPlan, notify: boolean): InvitationOutcome | null {
  if (!notify || plan.outcome !== 'created') return null;
  return receivesInvitations(plan.fields.type) ? 'queued' : 'skipped';
}

export function countInvitation(counts: ImportCounts, outcome: InvitationOutcome | null): void {
  if (outcome === 'queued') counts.invitationsQueued = (counts.invitationsQueued ?? 0) + 1;
  if (outcome === 'skipped') counts.invitationsSkipped = (counts.invitationsSkipped ?? 0) + 1;
}
