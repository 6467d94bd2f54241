import type { FieldIssue, MailboxStatus, MailboxType } from './mailbox-vocabulary';

/**
 * The life of a box's status. Deactivation and deletion are reversible, so they remember the
 * status they interrupted (`formerStatus`, stored beside the status) and the way back returns to it.
 */

export const MAILBOX_ACTIONS = [
  'validate',
  'reject',
  'completeRegistration',
  'deactivate',
  'reactivate',
  'delete',
  'restore',
] as const;
export type MailboxAction = (typeof MAILBOX_ACTIONS)[number];

export interface StatusChange {
  status: MailboxStatus;
  /** What to store as the former status from now on; null once there is nothing to return to. */
  formerStatus: MailboxStatus | null;
}

/** The statuses in use: the only ones deactivation interrupts. */
const DEACTIVATABLE_STATUSES: readonly MailboxStatus[] = ['preregistered', 'pending', 'valid'];
/** Every status but deleted itself: the statuses deletion interrupts. */
const RESTORABLE_STATUSES: readonly MailboxStatus[] = ['preregistered', 'pending', 'valid', 'rejected', 'deactivated'];

/**
 * Where a reactivation or restoration lands when the former status was lost: deleting a
 * deactivated box keeps only `deactivated`, forgetting what it was deactivated from. Pre-registered
 * is the safe guess: the box stays unlisted until its user confirms it again.
 */
export const FALLBACK_FORMER_STATUS: MailboxStatus = 'preregistered';

/** The change an action makes from the current status, or null when the status forbids it. */
export function nextStatus(
  current: MailboxStatus,
  action: MailboxAction,
  formerStatus?: MailboxStatus | null,
): StatusChange | null {
  switch (action) {
    case 'validate':
      return current === 'pending' ? settle('valid') : null;
    case 'reject':
      return current === 'pending' ? settle('rejected') : null;
    case 'completeRegistration':
      return current === 'preregistered' ? settle('valid') : null;
    case 'deactivate':
      return DEACTIVATABLE_STATUSES.includes(current) ? { status: 'deactivated', formerStatus: current } : null;
    case 'reactivate':
      return current === 'deactivated' ? settle(returnStatus(formerStatus, DEACTIVATABLE_STATUSES)) : null;
    case 'delete':
      return current !== 'deleted' ? { status: 'deleted', formerStatus: current } : null;
    case 'restore':
      return current === 'deleted' ? settle(returnStatus(formerStatus, RESTORABLE_STATUSES)) : null;
  }
}

export function canTransition(
  current: MailboxStatus,
  action: MailboxAction,
  formerStatus?: MailboxStatus | null,
): boolean {
  return nextStatus(current, action, formerStatus) !== null;
}

function settle(status: MailboxStatus): StatusChange {
  return { status, formerStatus: null };
}

/** The remembered status when it is one the way back may reach, else the safe fallback. */
function returnStatus(
  formerStatus: MailboxStatus | null | undefined,
  reachable: readonly MailboxStatus[],
): MailboxStatus {
  return formerStatus !== undefined && formerStatus !== null && reachable.includes(formerStatus)
    ? formerStatus
    : FALLBACK_FORMER_STATUS;
}

/**
 * A box stays in the liste rouge (unlisted) until its user finishes registration: the deck's
 * "invisible until they finalise". Only a valid box is listed by default.
 */
export function defaultDirectoryVisible(status: MailboxStatus): boolean {
  return status === 'valid';
}

/** An explicit choice (API field or import option) wins over the default. */
export function resolveDirectoryVisible(status: MailboxStatus, explicitChoice?: boolean | null): boolean {
  return explicitChoice ?? defaultDirectoryVisible(status);
}

/**
 * The deck's "si le type de compte et son état le permettent": which boxes may hold an MSSanté
 * address, stated once here for the API, the import, type changes, restores and quotas.
 *
 * - Type: every type but MED (a MED login only opens ORG boxes; it has no address of its own).
 * - Status, to be *given* an address (assigned or changed): `preregistered` (the admin prepares
 *   the box before its user arrives: the deck's "pensez à ajouter la correspondance") and `valid`.
 *   Not `pending` (a sign-up the admin has not accepted yet), not `rejected` (refused: nobody will
 *   use it), not `deleted` (kept for retention only), not `deactivated` (out of use: reactivate first).
 * - Status, to *keep* the address it holds: the two above and `deactivated`, which is reversible;
 *   the address stays reserved (and counted in the quota) for the reactivation.
 *
 * A status change into a status that may not keep one (deletion, a rejection, a reactivation back
 * to `pending`) withdraws the address in the same transaction; a restore brings it back only when
 * the restored status may keep it. Quotas count the addresses held by boxes in these statuses.
 */
export const ADDRESS_HOLDING_STATUSES: readonly MailboxStatus[] = ['preregistered', 'valid', 'deactivated'];
const ADDRESS_RECEIVING_STATUSES: readonly MailboxStatus[] = ['preregistered', 'valid'];

/** Why a box of this type may never hold an MSSanté address, or null when it may. */
export function checkAddressType(type: MailboxType): FieldIssue | null {
  if (type !== 'MED') return null;
  return {
    field: 'type',
    code: 'CORRESPONDENCE_FORBIDDEN',
    message: 'A MED box has no MSSanté address: it only opens ORG boxes',
  };
}

export function statusMayHoldAddress(status: MailboxStatus): boolean {
  return ADDRESS_HOLDING_STATUSES.includes(status);
}

/** Why a box may not be given an MSSanté address now (its type first, then its status), or null when it may. */
export function checkAddressReceivable(box: { type: MailboxType; status: MailboxStatus }): FieldIssue | null {
  const typeIssue = checkAddressType(box.type);
  if (typeIssue) return typeIssue;
  if (!ADDRESS_RECEIVING_STATUSES.includes(box.status)) {
    return {
      field: 'status',
      code: 'STATUS_FORBIDS_CORRESPONDENCE',
      message: `A ${box.status} box cannot be given an MSSanté address: only a preregistered or valid one can`,
    };
  }
  return null;
}
