import type { AlimentationRule } from './rule-types';
import { isBlank } from './is-blank';
import { isValidFiness, isValidSiret } from '../../../domain/national-identifiers';
import { professionHasNationalIdentifier } from '../../../domain/professions';

export const STRUCTURE_WITHOUT_NATIONAL_ID: AlimentationRule = {
  code: 'STRUCTURE_WITHOUT_NATIONAL_ID',
  severity: 'blocking',
  appliesTo: ['ORG', 'APP'],
  field: 'structure',
  message: {
    en: 'The structure has neither a FINESS nor a SIRET number, so the box has no holder to publish under.',
    fr: "La structure n'a ni numéro FINESS ni numéro SIRET : la boîte n'a pas de titulaire sous lequel être publiée.",
  },
  check: (_subject, { structure }) => isBlank(structure.finess) && isBlank(structure.siret),
};

export const STRUCTURE_ID_KEY: AlimentationRule = {
  code: 'STRUCTURE_ID_KEY',
  severity: 'blocking',
  appliesTo: ['ORG', 'APP'],
  field: 'structure',
  message: {
    en: "The structure's FINESS or SIRET number is wrong: its check key does not match.",
    fr: 'Le numéro FINESS ou SIRET de la structure est erroné : sa clé de contrôle ne correspond pas.',
  },
  // Either number being wrong flags the structure: the stored data is wrong even if the
  // other number is the one published.
  check: (_subject, { structure: { finess, siret } }) =>
    (finess !== null && !isBlank(finess) && !isValidFiness(finess)) ||
    (siret !== null && !isBlank(siret) && !isValidSiret(siret)),
};

export const ORG_WITHOUT_RESPONSIBLE: AlimentationRule = {
  code: 'ORG_WITHOUT_RESPONSIBLE',
  severity: 'blocking',
  appliesTo: ['ORG', 'APP'],
  field: 'responsible',
  message: {
    en: 'The shared box has no responsible person.',
    fr: "La boîte partagée n'a pas de responsable.",
  },
  check: ({ responsible }) => responsible === null || isBlank(responsible.lastName),
};

export const RESPONSIBLE_WITHOUT_IDENTIFIER: AlimentationRule = {
  code: 'RESPONSIBLE_WITHOUT_IDENTIFIER',
  severity: 'warning',
  appliesTo: ['ORG', 'APP'],
  field: 'responsible.rpps',
  message: {
    en: "The responsible's profession has an RPPS or ADELI number, but none is given.",
    fr: "La profession du responsable relève du RPPS ou d'ADELI, mais aucun numéro n'est renseigné.",
  },
  check: ({ responsible }) =>
    responsible !== null &&
    typeof responsible.profession === 'string' &&
    professionHasNationalIdentifier(responsible.profession) &&
    isBlank(responsible.rpps) &&
    isBlank(responsible.adeli),
};

export const ORG_WITHOUT_DESCRIPTION: AlimentationRule = {
  code: 'ORG_WITHOUT_DESCRIPTION',
  severity: 'warning',
  appliesTo: ['ORG', 'APP'],
  field: 'description',
  message: {
    en: 'The shared box has no description of its use.',
    fr: "La boîte partagée n'a pas de description de son usage.",
  },
  check: ({ description }) => isBlank(description),
};

export const ORG_WITHOUT_CONNECTION_ACCOUNT: AlimentationRule = {
  code: 'ORG_WITHOUT_CONNECTION_ACCOUNT',
  severity: 'warning',
  appliesTo: ['ORG'],
  field: 'connectionAccounts',
  message: {
    en: 'No connection account is linked to the organisational box, so nobody can open it with their own login.',
    fr: "Aucun compte de connexion n'est rattaché à la boîte organisationnelle : personne ne peut l'ouvrir avec son propre identifiant.",
  },
  check: ({ connectionAccountCount }) => connectionAccountCount === 0,
};
