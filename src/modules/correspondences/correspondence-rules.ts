import { checkAddressType } from '../../domain/mailbox-status';
import { checkLocalPart } from '../../domain/mssante-address';
import type { FieldIssue, MailboxType } from '../../domain/mailbox-vocabulary';

/** RFC 5321: a whole address fits in 254 characters. */
const ADDRESS_MAX_LENGTH = 254;

export interface RequestedCorrespondence {
  localPart: string;
  /** Omitted or blank: the structure's first domain (as the loaduser's empty column AD). */
  domain?: string | null;
}

export interface ResolvedCorrespondence {
  localPart: string;
  domain: string;
  address: string;
}

/**
 * The rules an MSSanté address must meet before the database is asked (pure; the API and the
 * loaduser import share it): a box type that may hold one, the local-part syntax, and a domain of
 * the box's structure. Whether the box's status lets it take a new address is checked where one is
 * given (`checkAddressReceivable`), so that the address a box already holds is never refused. Uniqueness and quotas need the database: see correspondences.service.ts.
 */
export function resolveCorrespondence(
  type: MailboxType,
  requested: RequestedCorrespondence,
  structureDomains: readonly string[],
): { issues: FieldIssue[]; resolved: ResolvedCorrespondence | null } {
  const typeIssue = checkAddressType(type);
  if (typeIssue) return { issues: [typeIssue], resolved: null };
  const issues: FieldIssue[] = [];
  const localPart = requested.localPart.trim();
  const localPartIssue = checkLocalPart(localPart);
  if (localPartIssue) issues.push(localPartIssue);
  const given = requested.domain?.trim().toLowerCase() ?? '';
  const domain = given === '' ? structureDomains[0] : given;
  if (domain === undefined) {
    issues.push({
      field: 'domain',
      code: 'DOMAIN_REQUIRED',
      message: 'The structure has no MSSanté domain yet: ask the operator for one',
    });
  } else if (!structureDomains.includes(domain)) {
    issues.push({
      field: 'domain',
      code: 'DOMAIN_NOT_OF_STRUCTURE',
      message: `Use one of the structure's domains: ${structureDomains.join(', ')}`,
    });
  }
  if (issues.length > 0 || domain === undefined) return { issues, resolved: null };
  const address = `${localPart}@${domain}`;
  if (address.length > ADDRESS_MAX_LENGTH) {
    return {
      issues: [
        {
          field: 'localPart',
          code: 'ADDRESS_TOO_LONG',
          message: `The whole address has at most ${ADDRESS_MAX_LENGTH} characters`,
        },
      ],
      resolved: null,
    };
  }
  return { issues: [], resolved: { localPart, domain, address } };
}
