/**
 * Authentication levels that are ordered: eIDAS's low, substantial and high, as Pro Santé Connect
 * writes them (`eidas1`…`eidas3`) and as their URIs. Any other `acr` is compared exactly, since
 * OpenID Connect gives `acr` values no order of their own.
 */
const LADDERS: readonly (readonly string[])[] = [
  ['eidas1', 'eidas2', 'eidas3'],
  ['http://eidas.europa.eu/LoA/low', 'http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high'],
];

export function acrSatisfies(acr: unknown, minimum: string): boolean {
  if (typeof acr !== 'string') return false;
  if (acr === minimum) return true;
  const ladder = LADDERS.find((levels) => levels.includes(minimum));
  return ladder !== undefined && ladder.indexOf(acr) >= ladder.indexOf(minimum);
}
