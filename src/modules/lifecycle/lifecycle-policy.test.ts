import {
  daysLeftUntil,
  deletionWarningKey,
  inactivityDeadline,
  lastSignOfLife,
  monthsBefore,
  purgeDateOf,
  retentionCutoff,
  warningDueFor,
  type LifecyclePolicy,
} from './lifecycle-policy';

const policy: LifecyclePolicy = {
  inactivityDays: 365,
  warningDays: [30, 7],
  retentionMonths: 6,
  importFileRetentionHours: 24,
  auditRetentionMonths: 12,
};
const day = 86_400_000;
const at = (iso: string) => new Date(iso);

describe('last sign of life', () => {
  const createdAt = at('2025-01-01T00:00:00Z');
  it.each([
    [
      'creation when nothing else happened',
      { registeredAt: null, lastActivityAt: null, restoredAt: null },
      '2025-01-01T00:00:00.000Z',
    ],
    [
      'a later registration',
      { registeredAt: at('2025-03-01T00:00:00Z'), lastActivityAt: null, restoredAt: null },
      '2025-03-01T00:00:00.000Z',
    ],
    [
      'the last activity when latest',
      { registeredAt: at('2025-03-01T00:00:00Z'), lastActivityAt: at('2025-06-01T00:00:00Z'), restoredAt: null },
      '2025-06-01T00:00:00.000Z',
    ],
    [
      'a restoration after the last activity',
      { registeredAt: null, lastActivityAt: at('2025-02-01T00:00:00Z'), restoredAt: at('2025-09-01T00:00:00Z') },
      '2025-09-01T00:00:00.000Z',
    ],
  ])('is %s', (_case, signs, expected) => {
    expect(lastSignOfLife({ createdAt, ...signs }).toISOString()).toBe(expected);
  });
});

describe('deletion warnings', () => {
  const deadline = inactivityDeadline(at('2025-01-01T12:00:00Z'), policy);

  it('puts the deadline a year of days after the last sign of life', () => {
    expect(deadline.toISOString()).toBe('2026-01-01T12:00:00.000Z');
  });

  it.each([
    [31, null],
    [30, 30],
    [8, 30],
    [7, 7],
    [0.5, 7],
    [0, null],
    [-1, null],
  ])('with %s days left, warns at the %s-day threshold', (daysLeft, expected) => {
    expect(warningDueFor(deadline, new Date(deadline.getTime() - daysLeft * day), policy)).toBe(expected);
  });

  it('keys a warning by box, deadline date and threshold', () => {
    expect(deletionWarningKey('b0x', deadline, 7)).toBe('deletion-warning:b0x:2026-01-01:7');
    expect(daysLeftUntil(deadline, new Date(deadline.getTime() - 6.2 * day))).toBe(7);
  });
});

describe('retention', () => {
  it.each([
    ['2026-09-15T08:00:00.000Z', 6, '2026-03-15T08:00:00.000Z'],
    ['2026-08-31T00:00:00.000Z', 6, '2026-02-28T00:00:00.000Z'],
    ['2028-08-31T00:00:00.000Z', 6, '2028-02-29T00:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', 6, '2025-09-30T00:00:00.000Z'],
    ['2026-01-10T00:00:00.000Z', 13, '2024-12-10T00:00:00.000Z'],
  ])('counts %s minus %s months as %s', (now, months, expected) => {
    expect(monthsBefore(at(now), months).toISOString()).toBe(expected);
  });
});

describe('purge date', () => {
  it.each([
    ['2026-01-15T10:00:00.000Z', '2026-07-15T10:00:00.000Z'],
    ['2025-08-31T10:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2027-08-31T10:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['2026-12-31T23:59:59.000Z', '2027-07-01T00:00:00.000Z'],
  ])('purges a box deleted at %s from %s, the first instant the retention cutoff reaches it', (deletedAt, expected) => {
    const purge = purgeDateOf(at(deletedAt), policy);
    expect(purge.toISOString()).toBe(expected);
    expect(retentionCutoff(purge, policy).getTime()).toBeGreaterThanOrEqual(at(deletedAt).getTime());
    expect(retentionCutoff(new Date(purge.getTime() - 1), policy).getTime()).toBeLessThan(at(deletedAt).getTime());
  });
});
