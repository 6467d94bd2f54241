/**
 * The contract's examples of the mailbox schemas (attached as TypeBox `examples` in
 * `mailboxes.schemas.ts`): what Swagger UI shows and "Try it out" sends.
 */
import {
  EXAMPLE_DOMAIN,
  EXAMPLE_IDS,
  EXAMPLE_INSTANT,
  EXAMPLE_PROFESSION,
  EXAMPLE_RPPS,
} from '../../domain/contract-examples';

/** A box of each type as a client creates it, in the order the types depend on each other. */
export const CREATE_MAILBOX_EXAMPLES = [
  {
    structureId: EXAMPLE_IDS.structure,
    type: 'PER',
    email: 'camille.martin@ch-aubagne.fr',
    lastName: 'Martin',
    firstName: 'Camille',
    civility: 'MME',
    profession: EXAMPLE_PROFESSION.doctor,
    professionCategory: 'C',
    rpps: EXAMPLE_RPPS.doctor,
    service: 'Cardiologie',
    phone: '+33442846000',
    notify: true,
  },
  {
    structureId: EXAMPLE_IDS.structure,
    type: 'MED',
    email: 'hugo.lefevre@ch-aubagne.fr',
    lastName: 'Lefèvre',
    firstName: 'Hugo',
    civility: 'M',
    profession: EXAMPLE_PROFESSION.pharmacist,
    service: 'Pharmacie à usage intérieur',
  },
  {
    structureId: EXAMPLE_IDS.structure,
    type: 'INT',
    email: 'thomas.bernard@ch-aubagne.fr',
    lastName: 'Bernard',
    firstName: 'Thomas',
    civility: 'M',
    service: 'Urgences',
  },
  {
    structureId: EXAMPLE_IDS.structure,
    type: 'ORG',
    email: 'secretariat.cardiologie@ch-aubagne.fr',
    lastName: 'Secrétariat de cardiologie',
    firstName: 'CH Aubagne',
    service: 'Cardiologie',
    responsible: {
      lastName: 'Dubois',
      firstName: 'Léa',
      profession: EXAMPLE_PROFESSION.nurse,
      rpps: EXAMPLE_RPPS.nurse,
    },
    description: 'Rendez-vous et comptes rendus de consultation',
  },
  {
    structureId: EXAMPLE_IDS.structure,
    type: 'APP',
    email: 'dpi.resultats@ch-aubagne.fr',
    lastName: 'DPI résultats',
    firstName: 'CH Aubagne',
    responsible: { lastName: 'Martin', firstName: 'Camille', profession: EXAMPLE_PROFESSION.doctor },
    description: 'Envoi automatique des résultats de biologie par le dossier patient informatisé',
  },
];

/** A self sign-up: a midwife (TRE_G15 `50`) under her ADELI number. */
export const REGISTRATION_EXAMPLE = {
  structureId: EXAMPLE_IDS.structure,
  type: 'PER',
  email: 'ines.garcia@ch-aubagne.fr',
  lastName: 'Garcia',
  firstName: 'Inès',
  civility: 'MME',
  profession: '50',
  adeli: '139876543',
  service: 'Maternité',
};

/** A box as the API answers it: valid, with its MSSanté address. */
export const MAILBOX_EXAMPLE = {
  id: EXAMPLE_IDS.perMailbox,
  structureId: EXAMPLE_IDS.structure,
  type: 'PER',
  email: 'camille.martin@ch-aubagne.fr',
  status: 'valid',
  lastName: 'Martin',
  firstName: 'Camille',
  civility: 'MME',
  profession: EXAMPLE_PROFESSION.doctor,
  professionCategory: 'C',
  specialty: 'SM54',
  rpps: EXAMPLE_RPPS.doctor,
  adeli: null,
  service: 'Cardiologie',
  organisationName: 'Centre hospitalier Edmond Garcin',
  address: '179 avenue des Sœurs Gastine',
  postalCode: '13400',
  city: 'Aubagne',
  phone: '+33442846000',
  mailboxPhone: null,
  paperless: true,
  expiresAt: null,
  isTest: false,
  directoryVisible: true,
  directoryVisibility: 'default',
  responsible: null,
  description: null,
  correspondence: {
    localPart: 'camille.martin',
    domain: EXAMPLE_DOMAIN,
    address: `camille.martin@${EXAMPLE_DOMAIN}`,
    isTest: false,
    assignedAt: EXAMPLE_INSTANT,
  },
  lastActivityAt: EXAMPLE_INSTANT,
  createdAt: EXAMPLE_INSTANT,
  updatedAt: EXAMPLE_INSTANT,
};

export const TRANSFER_TARGET_EXAMPLE = EXAMPLE_IDS.otherStructure;
