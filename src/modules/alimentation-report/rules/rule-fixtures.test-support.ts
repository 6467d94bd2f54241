/* Builders for tests only: a box with no issue at all, to be broken one field at a time. */
import type { MailboxType } from '../../../domain/mailbox-vocabulary';
import type { ReferenceEntry, RuleContext, RuleSubject } from './rule-types';

export const VALID_RPPS = '10000013994';
export const VALID_FINESS = '010000602';
export const VALID_SIRET = '73282932000074';

const NOMINATIVE_DEFAULTS = {
  rpps: VALID_RPPS,
  adeli: null,
  lastName: 'Lefèvre',
  firstName: 'Hélène',
  profession: '10',
  responsible: null,
  description: null,
  connectionAccountCount: 0,
};

const SHARED_DEFAULTS = {
  rpps: null,
  adeli: null,
  lastName: 'Service BE',
  firstName: 'Bureau des entrées',
  profession: null,
  responsible: { lastName: 'Dupont', firstName: 'Laurent', profession: '21', rpps: '10006122583', adeli: null },
  description: 'Admissions',
  connectionAccountCount: 2,
};

export function buildSubject(type: MailboxType, overrides: Partial<RuleSubject> = {}): RuleSubject {
  const localPart = type === 'ORG' || type === 'APP' ? 'contact' : 'helene.lefevre';
  return {
    id: `mailbox-${type.toLowerCase()}`,
    email: `${localPart}@ch-exemple.fr`,
    type,
    status: 'valid',
    isTest: false,
    // A clean INT box is temporary, as the deck wants it: it carries its expiry date.
    expiresAt: type === 'INT' ? '2027-06-30' : null,
    correspondence: { localPart, domain: 'ch-exemple.mssante.fr', address: `${localPart}@ch-exemple.mssante.fr` },
    ...(type === 'ORG' || type === 'APP' ? SHARED_DEFAULTS : NOMINATIVE_DEFAULTS),
    ...overrides,
  };
}

export function buildReference(entries: Record<string, ReferenceEntry>): RuleContext['reference'] {
  return { lookup: (rpps) => entries[rpps] };
}

export function buildContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    structure: { finess: VALID_FINESS, siret: VALID_SIRET },
    today: '2025-06-15',
    reference: buildReference({ [VALID_RPPS]: { lastName: 'LEFÈVRE', firstName: 'Hélène', profession: '10' } }),
    ...overrides,
  };
}
