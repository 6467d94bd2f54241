import type { FieldIssue } from './mailbox-vocabulary';

/** RFC 5321 limits: 64 characters before the `@`, 254 for the whole address. */
const LOCAL_PART_MAX_LENGTH = 64;
const EMAIL_MAX_LENGTH = 254;
const DOMAIN_MAX_LENGTH = 253;
const MSSANTE_SUFFIX = '.mssante.fr';

// One DNS label: letters, digits and inner hyphens, at most 63 characters.
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// RFC 5322 dot-atom without quoted strings or comments, which no mail client of our users needs.
const EMAIL_LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
// Our rule for MSSanté local parts, narrower than e-mail in general: letters, digits, dot, hyphen
// and underscore only.
const MSSANTE_LOCAL_PART_CHARACTERS = /^[a-z0-9._-]+$/;

/** A host name of dot-separated labels whose last label (the TLD) is alphabetic. */
function isDomainName(domain: string): boolean {
  if (domain.length === 0 || domain.length > DOMAIN_MAX_LENGTH) return false;
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label)) && /^[a-z]{2,63}$/i.test(topLevel);
}

/**
 * Whether a text is an ordinary e-mail address (the reference address and login of a box).
 * Addresses with IP literals or quoted local parts are refused: they are never professional ones.
 */
export function isWellFormedEmail(email: string): boolean {
  if (email.length > EMAIL_MAX_LENGTH) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const localPart = email.slice(0, at);
  const domain = email.slice(at + 1);
  return localPart.length <= LOCAL_PART_MAX_LENGTH && EMAIL_LOCAL_PART.test(localPart) && isDomainName(domain);
}

/** A lowercase host name under `mssante.fr` (the national MSSanté zone), not `mssante.fr` itself. */
export function isMssanteDomain(domain: string): boolean {
  return (
    domain === domain.toLowerCase() &&
    domain.endsWith(MSSANTE_SUFFIX) &&
    domain.length > MSSANTE_SUFFIX.length &&
    isDomainName(domain)
  );
}

/** Checks the part before the `@` of an MSSanté address; null when it is acceptable. */
export function checkLocalPart(localPart: string): FieldIssue | null {
  if (localPart.length === 0) {
    return issue('LOCAL_PART_REQUIRED', 'The MSSanté address needs a local part before the @.');
  }
  if (localPart.length > LOCAL_PART_MAX_LENGTH) {
    return issue('LOCAL_PART_TOO_LONG', `The local part has at most ${LOCAL_PART_MAX_LENGTH} characters.`);
  }
  if (!MSSANTE_LOCAL_PART_CHARACTERS.test(localPart)) {
    return issue(
      'LOCAL_PART_INVALID',
      'The local part uses only lowercase letters, digits, dots, hyphens and underscores.',
    );
  }
  if (localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) {
    return issue('LOCAL_PART_INVALID', 'The local part cannot start or end with a dot, nor hold two dots in a row.');
  }
  return null;
}

function issue(code: string, message: string): FieldIssue {
  return { field: 'localPart', code, message };
}
