import { isMssanteDomain } from '../../domain/mssante-address';
import { isValidFiness, isValidSiret } from '../../domain/national-identifiers';
import { AppError, type ErrorDetail } from '../../domain/errors/error-catalogue';

/** Domains are compared and stored in lower case, without a trailing dot. */
export const normaliseDomain = (domain: string) => domain.trim().toLowerCase().replace(/\.$/, '');

/** The checks a structure's identity must pass before it is stored (422 with every field at fault). */
export function assertStructureIdentity(fields: {
  finess?: string | null;
  siret?: string | null;
  domains?: string[];
}): void {
  const errors: ErrorDetail[] = [];
  if (fields.finess && !isValidFiness(fields.finess)) {
    errors.push({
      field: 'finess',
      code: 'FINESS_INVALID',
      message: 'A FINESS has 9 characters (2A/2B for Corsica) and a valid check key',
    });
  }
  if (fields.siret && !isValidSiret(fields.siret)) {
    errors.push({ field: 'siret', code: 'SIRET_INVALID', message: 'A SIRET has 14 digits and a valid check key' });
  }
  const seen = new Set<string>();
  fields.domains?.forEach((domain, index) => {
    if (!isMssanteDomain(domain)) {
      errors.push({
        field: `domains.${index}`,
        code: 'DOMAIN_NOT_MSSANTE',
        message: `${domain} is not a domain ending in .mssante.fr`,
      });
    } else if (seen.has(domain)) {
      errors.push({ field: `domains.${index}`, code: 'DOMAIN_DUPLICATE', message: `${domain} is listed twice` });
    }
    seen.add(domain);
  });
  if (errors.length > 0)
    throw new AppError('BUSINESS_RULE_VIOLATED', "The structure's identifiers are not valid", errors);
}

export function domainTaken(domains: string[]): AppError {
  return new AppError(
    'DOMAIN_TAKEN',
    `${domains.join(', ')} already belong${domains.length > 1 ? '' : 's'} to another structure`,
    domains.map((domain) => ({
      field: 'domains',
      code: 'DOMAIN_TAKEN',
      message: `${domain} belongs to another structure`,
    })),
  );
}
