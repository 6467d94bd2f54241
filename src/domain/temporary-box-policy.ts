import type { FieldIssue, MailboxType } from './mailbox-vocabulary';

/**
 * INT boxes are temporary (the deck: "créée temporairement et dans des cas très précis", e.g. a
 * foreign doctor awaiting an RPPS), so they should carry an expiry date, the day the box is
 * deactivated. Without one they are accepted and reported (the alimentation report's
 * `INT_WITHOUT_EXPIRY`, the structure's activity); a structure whose `intExpiryRequired` is set
 * refuses them instead (API 422, import row error on column P).
 */
export const TEMPORARY_TYPES: readonly MailboxType[] = ['INT'];

export function lacksExpiryDate(box: { type: MailboxType; expiresAt?: string | null }): boolean {
  return TEMPORARY_TYPES.includes(box.type) && (box.expiresAt ?? null) === null;
}

/** The issue of a temporary box without expiry date in a structure that requires one; none otherwise. */
export function checkExpiryRequirement(
  box: { type: MailboxType; expiresAt?: string | null },
  structure: { intExpiryRequired: boolean },
): FieldIssue[] {
  if (!structure.intExpiryRequired || !lacksExpiryDate(box)) return [];
  return [
    {
      field: 'expiresAt',
      code: 'EXPIRY_DATE_REQUIRED',
      message: `${box.type} boxes are temporary: this structure requires their expiry date.`,
    },
  ];
}
