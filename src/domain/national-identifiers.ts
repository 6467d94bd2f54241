import { hasValidLuhnKey } from './luhn';

/**
 * Shape and check-key tests for the French national identifiers Balise stores.
 * They say nothing about whether the number exists: only the registers know that.
 */

/** 11 digits, whatever the key: enough to store an identifier on a test account. */
export function isWellFormedRpps(rpps: string): boolean {
  return /^\d{11}$/.test(rpps);
}

/** 11 digits whose last one is a Luhn key (computed on the 11 digits, never on the `8`-prefixed idNatPS). */
export function isValidRpps(rpps: string): boolean {
  return isWellFormedRpps(rpps) && hasValidLuhnKey(rpps);
}

/** 9 digits; ADELI publishes no check key, so the shape is all we can test. */
export function isValidAdeli(adeli: string): boolean {
  return /^\d{9}$/.test(adeli);
}

/**
 * 9 characters whose first two are the département. Corsica's départements are `2A` and `2B`,
 * which leaves no all-digit number for the Luhn key: for those only the shape is checked.
 */
export function isValidFiness(finess: string): boolean {
  if (/^2[AB]\d{7}$/.test(finess)) return true;
  return /^\d{9}$/.test(finess) && hasValidLuhnKey(finess);
}

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && hasValidLuhnKey(siren);
}

/** La Poste numbered its many establishments before the Luhn rule could hold them all. */
export const LA_POSTE_SIREN = '356000000';
/** La Poste's head office, the one La Poste SIRET that follows the plain Luhn rule. */
export const LA_POSTE_HEAD_OFFICE_SIRET = '35600000000048';

/**
 * 14 digits with a Luhn key, except La Poste's establishments, whose digits must add up to a
 * multiple of 5 instead (INSEE's published exception).
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret === LA_POSTE_HEAD_OFFICE_SIRET) return hasValidLuhnKey(siret);
  if (siret.startsWith(LA_POSTE_SIREN)) return sumDigits(siret) % 5 === 0;
  return hasValidLuhnKey(siret);
}

function sumDigits(digits: string): number {
  let sum = 0;
  for (const digit of digits) sum += Number(digit);
  return sum;
}
