import type { AlimentationRule } from './rule-types';
import { isBlank } from './is-blank';
import { isDeprecatedProfession, isKnownProfession } from '../../../domain/professions';

export const INT_WITHOUT_RPPS: AlimentationRule = {
  code: 'INT_WITHOUT_RPPS',
  severity: 'blocking',
  appliesTo: ['INT'],
  field: 'rpps',
  message: {
    en: 'This internal box has no RPPS yet, so it cannot be published as a personal box.',
    fr: "Cette boîte interne n'a pas encore de RPPS : elle ne peut pas être publiée comme boîte personnelle.",
  },
  check: (subject) => isBlank(subject.rpps),
};

export const ADELI_ONLY: AlimentationRule = {
  code: 'ADELI_ONLY',
  severity: 'warning',
  appliesTo: ['PER'],
  field: 'rpps',
  message: {
    en: 'Only an ADELI number is given; ADELI is being retired in favour of RPPS: add the RPPS.',
    fr: 'Seul un numéro ADELI est renseigné ; ADELI est en cours de remplacement par le RPPS : ajoutez le RPPS.',
  },
  check: (subject) => !isBlank(subject.adeli) && isBlank(subject.rpps),
};

export const PER_WITH_RESPONSIBLE: AlimentationRule = {
  code: 'PER_WITH_RESPONSIBLE',
  severity: 'warning',
  appliesTo: ['PER'],
  field: 'responsible',
  message: {
    en: 'A responsible is set on a personal box; the directory never publishes one for personal boxes.',
    fr: "Un responsable est renseigné sur une boîte personnelle ; l'annuaire n'en publie jamais pour ce type de boîte.",
  },
  check: (subject) => subject.responsible !== null,
};

export const PROFESSION_UNKNOWN: AlimentationRule = {
  code: 'PROFESSION_UNKNOWN',
  severity: 'warning',
  appliesTo: ['PER', 'INT'],
  field: 'profession',
  message: {
    en: 'The profession code is missing or is not in the national list (TRE_G15).',
    fr: 'Le code profession est absent ou ne figure pas dans la nomenclature nationale (TRE_G15).',
  },
  // A missing code is as unusable for the directory as a wrong one. Deprecated codes are still
  // in TRE_G15: PROFESSION_DEPRECATED reports them.
  check: ({ profession }) => profession === null || isBlank(profession) || !isKnownProfession(profession),
};

export const PROFESSION_DEPRECATED: AlimentationRule = {
  code: 'PROFESSION_DEPRECATED',
  severity: 'warning',
  appliesTo: ['PER', 'INT'],
  field: 'profession',
  message: {
    en: 'The profession code is deprecated in the national list (TRE_G15): choose a current one.',
    fr: 'Le code profession est obsolète dans la nomenclature nationale (TRE_G15) : choisissez un code en vigueur.',
  },
  check: ({ profession }) => profession !== null && isDeprecatedProfession(profession),
};
