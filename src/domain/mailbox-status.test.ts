import {
  ADDRESS_HOLDING_STATUSES,
  canTransition,
  checkAddressReceivable,
  defaultDirectoryVisible,
  FALLBACK_FORMER_STATUS,
  MAILBOX_ACTIONS,
  nextStatus,
  resolveDirectoryVisible,
  statusMayHoldAddress,
  type MailboxAction,
} from './mailbox-status';
import { MAILBOX_STATUSES, type MailboxStatus } from './mailbox-vocabulary';

/** Every allowed move without a remembered status; everything else must be refused. */
const ALLOWED: ReadonlyArray<[MailboxStatus, MailboxAction, MailboxStatus, MailboxStatus | null]> = [
  ['pending', 'validate', 'valid', null],
  ['pending', 'reject', 'rejected', null],
  ['preregistered', 'completeRegistration', 'valid', null],
  ['preregistered', 'deactivate', 'deactivated', 'preregistered'],
  ['pending', 'deactivate', 'deactivated', 'pending'],
  ['valid', 'deactivate', 'deactivated', 'valid'],
  ['deactivated', 'reactivate', FALLBACK_FORMER_STATUS, null],
  ['preregistered', 'delete', 'deleted', 'preregistered'],
  ['pending', 'delete', 'deleted', 'pending'],
  ['valid', 'delete', 'deleted', 'valid'],
  ['rejected', 'delete', 'deleted', 'rejected'],
  ['deactivated', 'delete', 'deleted', 'deactivated'],
  ['deleted', 'restore', FALLBACK_FORMER_STATUS, null],
];

describe('nextStatus', () => {
  it.each(ALLOWED)('moves %s through %s to %s, remembering %s', (current, action, status, formerStatus) => {
    expect(nextStatus(current, action)).toEqual({ status, formerStatus });
    expect(canTransition(current, action)).toBe(true);
  });

  const refused = MAILBOX_STATUSES.flatMap((current) =>
    MAILBOX_ACTIONS.filter((action) => !ALLOWED.some(([from, allowed]) => from === current && allowed === action)).map(
      (action): [MailboxStatus, MailboxAction] => [current, action],
    ),
  );

  it.each(refused)('refuses %s through %s', (current, action) => {
    expect(nextStatus(current, action, 'valid')).toBeNull();
    expect(canTransition(current, action, 'valid')).toBe(false);
  });

  it.each<MailboxStatus>(['preregistered', 'pending', 'valid'])('reactivates to the remembered %s', (formerStatus) => {
    expect(nextStatus('deactivated', 'reactivate', formerStatus)).toEqual({ status: formerStatus, formerStatus: null });
  });

  it.each<MailboxStatus>(['rejected', 'deactivated', 'deleted'])(
    'reactivates to the fallback when the remembered %s is not a status deactivation interrupts',
    (formerStatus) => {
      expect(nextStatus('deactivated', 'reactivate', formerStatus)).toEqual({
        status: FALLBACK_FORMER_STATUS,
        formerStatus: null,
      });
    },
  );

  it.each<MailboxStatus>(['preregistered', 'pending', 'valid', 'rejected', 'deactivated'])(
    'restores to the remembered %s',
    (formerStatus) => {
      expect(nextStatus('deleted', 'restore', formerStatus)).toEqual({ status: formerStatus, formerStatus: null });
    },
  );

  it('restores to the fallback when the remembered status is deleted itself', () => {
    expect(nextStatus('deleted', 'restore', 'deleted')).toEqual({ status: FALLBACK_FORMER_STATUS, formerStatus: null });
  });

  it('brings a deactivated valid box back to valid', () => {
    const deactivated = nextStatus('valid', 'deactivate');
    expect(deactivated).not.toBeNull();
    const reactivated = nextStatus('deactivated', 'reactivate', deactivated?.formerStatus);
    expect(reactivated).toEqual({ status: 'valid', formerStatus: null });
  });
});

describe('directory visibility', () => {
  it('lists a valid box by default', () => {
    expect(defaultDirectoryVisible('valid')).toBe(true);
  });

  it.each<MailboxStatus>(['preregistered', 'pending', 'rejected', 'deactivated', 'deleted'])(
    'keeps a %s box unlisted by default',
    (status) => {
      expect(defaultDirectoryVisible(status)).toBe(false);
    },
  );

  it('lets an explicit choice win over the default', () => {
    expect(resolveDirectoryVisible('preregistered', true)).toBe(true);
    expect(resolveDirectoryVisible('valid', false)).toBe(false);
  });

  it('falls back to the default without a choice', () => {
    expect(resolveDirectoryVisible('valid', null)).toBe(true);
    expect(resolveDirectoryVisible('preregistered')).toBe(false);
  });
});

describe('which boxes may hold an MSSanté address', () => {
  it.each(MAILBOX_STATUSES)('gives a PER box in status %s an address only when preregistered or valid', (status) => {
    const issue = checkAddressReceivable({ type: 'PER', status });
    expect(issue?.code ?? null).toBe(
      ['preregistered', 'valid'].includes(status) ? null : 'STATUS_FORBIDS_CORRESPONDENCE',
    );
  });

  it('refuses a MED box whatever its status, naming the type', () => {
    expect(checkAddressReceivable({ type: 'MED', status: 'valid' })).toMatchObject({
      field: 'type',
      code: 'CORRESPONDENCE_FORBIDDEN',
    });
  });

  it('keeps an address through a deactivation, never in pending, rejected or deleted', () => {
    expect(ADDRESS_HOLDING_STATUSES).toEqual(['preregistered', 'valid', 'deactivated']);
    for (const status of ['pending', 'rejected', 'deleted'] as const) expect(statusMayHoldAddress(status)).toBe(false);
  });
});
