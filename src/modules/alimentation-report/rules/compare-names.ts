const PLAIN_LETTERS = /^[A-Za-z0-9]+$/;

/**
 * Names in the ANS extraction are upper case with accents ("LEFÈVRE"); admins type
 * "Lefevre". The comparison ignores case, accents, ligatures and the separators people use
 * interchangeably in compound names (hyphen, apostrophe, spaces).
 */
export function normalizeName(name: string): string {
  // Most names are plain ASCII letters (digits in test data): lower case is all the long way would do to them.
  if (PLAIN_LETTERS.test(name)) return name.toLowerCase();
  return name
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[\s\-'’]+/g, ' ')
    .trim();
}

export function isSameName(left: string, right: string): boolean {
  return normalizeName(left) === normalizeName(right);
}
