import { isMssanteDomain } from '../../../domain/mssante-address';
import { MAILBOX_TYPES } from '../../../domain/mailbox-vocabulary';
import type { AlimentationRule } from './rule-types';

/**
 * A report checks the same few domains on every box of a structure: remember the answers (the
 * check is a handful of regular expressions). Bounded, as domains are the operator's data.
 */
const mssanteDomainAnswers = new Map<string, boolean>();
function isMssanteDomainRemembered(name: string): boolean {
  let answer = mssanteDomainAnswers.get(name);
  if (answer === undefined) {
    if (mssanteDomainAnswers.size >= 10_000) mssanteDomainAnswers.clear();
    answer = isMssanteDomain(name);
    mssanteDomainAnswers.set(name, answer);
  }
  return answer;
}

/** The domain actually published is the one in the address; the stored domain must agree. */
function domainsOf(address: string, domain: string): string[] {
  const atIndex = address.lastIndexOf('@');
  return [address.slice(atIndex + 1), domain];
}

export const MISSING_CORRESPONDENCE: AlimentationRule = {
  code: 'MISSING_CORRESPONDENCE',
  severity: 'blocking',
  appliesTo: ['PER', 'INT', 'ORG', 'APP'],
  field: 'correspondence',
  message: {
    en: 'The box has no MSSanté address: there is nothing to publish and its user has no MSSanté access.',
    fr: "La boîte n'a pas d'adresse MSSanté : rien ne peut être publié et son utilisateur n'a pas accès à MSSanté.",
  },
  // Only valid boxes: a pre-registered one is still being set up and gets its address later.
  check: (subject) => subject.status === 'valid' && subject.correspondence === null,
};

export const DOMAIN_NOT_MSSANTE: AlimentationRule = {
  code: 'DOMAIN_NOT_MSSANTE',
  severity: 'blocking',
  appliesTo: MAILBOX_TYPES,
  field: 'correspondence.domain',
  message: {
    en: 'The MSSanté address is not on a domain ending in .mssante.fr.',
    fr: "L'adresse MSSanté n'est pas sur un domaine se terminant par .mssante.fr.",
  },
  check: (subject) => {
    if (subject.correspondence === null) return false;
    const { address, domain } = subject.correspondence;
    // Host names are case-insensitive; isMssanteDomain wants the stored (lowercase) form.
    return domainsOf(address, domain).some((name) => !isMssanteDomainRemembered(name.toLowerCase()));
  },
};
