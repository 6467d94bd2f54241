/**
 * TRE_G15 profession codes (version 2025-03-28) and TRE_R09 professional categories.
 * Deprecated codes stay storable: boxes created before the deprecation still carry them,
 * and the alimentation report warns about them rather than the API refusing them.
 */

/** Labels as the TRE_G15 nomenclature writes them (they appear as such in reports). */
export const ACTIVE_PROFESSIONS: Readonly<Record<string, string>> = {
  '10': 'Médecin',
  '21': 'Pharmacien',
  '26': 'Audioprothésiste',
  '28': 'Opticien-lunetier',
  '31': 'Assistant dentaire',
  '32': 'Physicien médical',
  '40': 'Chirurgien-dentiste',
  '50': 'Sage-femme',
  '60': 'Infirmier',
  '69': 'Infirmier psychiatrique',
  '70': 'Masseur-kinésithérapeute',
  '80': 'Pédicure-podologue',
  '81': 'Orthoprothésiste',
  '82': 'Podo-orthésiste',
  '83': 'Orthopédiste-orthésiste',
  '84': 'Oculariste',
  '85': 'Épithésiste',
  '86': 'Technicien de laboratoire médical',
  '91': 'Orthophoniste',
  '92': 'Orthoptiste',
  '94': 'Ergothérapeute',
  '95': 'Diététicien',
  '96': 'Psychomotricien',
  '98': 'Manipulateur ERM',
};

/** 35–39 ended on 2024-12-13 and 93 on 2021-12-17; labels are the TRE_G15 ones. */
export const DEPRECATED_PROFESSIONS: Readonly<Record<string, string>> = {
  '35': 'Aide-soignant',
  '36': 'Ambulancier',
  '37': 'Auxiliaire de puériculture',
  '38': 'Préparateur en pharmacie hospitalière',
  '39': 'Préparateur en pharmacie',
  '93': 'Psychologue',
};

// Own-property lookups, so that `toString` or `__proto__` never pass for a code.
function hasCode(table: Readonly<Record<string, string>>, code: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, code);
}

export function isActiveProfession(code: string): boolean {
  return hasCode(ACTIVE_PROFESSIONS, code);
}

export function isDeprecatedProfession(code: string): boolean {
  return hasCode(DEPRECATED_PROFESSIONS, code);
}

/** Active or deprecated: a code Balise may store. */
export function isKnownProfession(code: string): boolean {
  return isActiveProfession(code) || isDeprecatedProfession(code);
}

/** The French label, or null for a code TRE_G15 does not know. */
export function professionLabel(code: string): string | null {
  if (isActiveProfession(code)) return ACTIVE_PROFESSIONS[code] ?? null;
  if (isDeprecatedProfession(code)) return DEPRECATED_PROFESSIONS[code] ?? null;
  return null;
}

/**
 * Every TRE_G15 profession is registered in the RPPS (or, for the legacy ones, ADELI), so a
 * responsible with a known profession is expected to have an identifier.
 */
export function professionHasNationalIdentifier(code: string): boolean {
  return isKnownProfession(code);
}

/** TRE_R09: C civil, E student, M public servant; F (civil servant) deprecated on 2026-02-23. */
export const PROFESSION_CATEGORIES = ['C', 'E', 'M', 'F'] as const;
export type ProfessionCategory = (typeof PROFESSION_CATEGORIES)[number];
export const DEPRECATED_PROFESSION_CATEGORIES: readonly ProfessionCategory[] = ['F'];

export function isKnownProfessionCategory(code: string): code is ProfessionCategory {
  return (PROFESSION_CATEGORIES as readonly string[]).includes(code);
}

export function isDeprecatedProfessionCategory(code: string): boolean {
  return (DEPRECATED_PROFESSION_CATEGORIES as readonly string[]).includes(code);
}
