/**
 * Names in the ANS extraction are upper case with accents ("LEFÈVRE"); admins type
 * "Lefevre". The comparison ignores case, accents, ligatures and the separators people use
 * interchangeably in compound names (hyphen, apostrophe, spaces).
 */
export function normalizeName(name: string): string {
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
