import { CLEAR_MARKER } from './clear-marker';
import { TEMPLATE_DOWNLOAD_ROUTE, TEMPLATE_VERSION, type LoaduserFieldKey } from './loaduser-columns';

/**
 * The "Notice" sheet of the XLSX template and exports, in French like the template's headers:
 * the people filling the file read it in their spreadsheet, not in the API docs.
 */
export const NOTICE_RULES: readonly string[] = [
  `Modèle loaduser version ${TEMPLATE_VERSION} : une ligne par boîte aux lettres (BAL), colonnes A à AH. La ligne 1 porte les en-têtes : ne les modifiez pas et ne changez pas l'ordre des colonnes.`,
  'Une adresse mail (colonne A) déjà présente dans la structure met sa BAL à jour ; une nouvelle adresse crée une BAL (pré-enregistrée).',
  "Cellule vide : lors d'une mise à jour, la valeur actuelle est conservée ; pour une nouvelle BAL, la donnée est non renseignée.",
  `Effacer une valeur : écrivez ${CLEAR_MARKER} dans la cellule. La valeur actuelle de la BAL est effacée (colonnes AB et AH : tous les délégués ou comptes de connexion sont retirés ; colonne U ou V : le responsable entier). Refusé (erreur sur la ligne) dans les colonnes obligatoires A, B, C et S, en Q (écrivez N) et en AC/AD. Sans effet sur une nouvelle BAL. Une valeur réellement égale à « ${CLEAR_MARKER} » est exportée précédée d'une apostrophe et réimportée telle quelle.`,
  `Une cellule vide ne supprime jamais une adresse MSSanté, pas plus que ${CLEAR_MARKER} : retirez-la par l'API.`,
  'Oui/Non : O/N, Oui/Non, Y/N, Yes/No, 1/0, true/false sont acceptés, ainsi que X pour oui (vide = non renseigné).',
  'Dates : JJ/MM/AAAA, AAAA-MM-JJ ou une cellule au format date.',
  "Listes d'adresses (colonnes AB et AH) : séparées par « ; », sans espace. Elles peuvent désigner des BAL créées ailleurs dans le même fichier, plus haut ou plus bas. En AH, une cellule qui n'est pas une liste d'adresses est une erreur sur sa ligne.",
  "Une valeur commençant par une apostrophe suivie de =, +, - ou @ a été protégée par l'export pour qu'aucune formule ne s'exécute ; l'import retire cette apostrophe (un numéro +33… reste intact).",
  "Colonnes AE, AF et AG : écrites par les exports, ignorées à l'import, comme AI à AK de l'export des BAL supprimées. Toute autre valeur après la colonne AH est une erreur sur sa ligne.",
  'Formats acceptés : XLSX, XLS et CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252). Seule la première feuille est lue.',
  "Chaque erreur indique le numéro de ligne, la lettre et l'en-tête de la colonne. Réimporter un export sans le modifier ne change rien.",
  `Modèle à jour : ${TEMPLATE_DOWNLOAD_ROUTE}.`,
];

export interface NoticeColumnNote {
  isRequired: boolean;
  content: string;
}

const RESPONSIBLE =
  "ORG/APP : personne responsable de la BAL ; nom et prénom obligatoires dès qu'une colonne U à Y est remplie.";
const EXPORT_ONLY = "Écrit par les exports, ignoré à l'import.";

export const NOTICE_COLUMN_NOTES: Record<LoaduserFieldKey, NoticeColumnNote> = {
  email: { isRequired: true, content: 'Adresse de référence et identifiant de connexion ; clé de la ligne.' },
  lastName: { isRequired: true, content: 'Nom. Pour ORG/APP : nom de la BAL (ex. « Service BE »).' },
  firstName: { isRequired: true, content: 'Prénom. Pour ORG/APP : second libellé (ex. la structure).' },
  rpps: {
    isRequired: false,
    content: '11 chiffres (clé de Luhn). Saisir au format texte pour garder tous les chiffres.',
  },
  address: { isRequired: false, content: 'Numéro et voie.' },
  organisationName: { isRequired: false, content: 'Raison sociale de la structure.' },
  service: { isRequired: false, content: 'Service de rattachement.' },
  postalCode: { isRequired: false, content: '5 chiffres.' },
  city: { isRequired: false, content: 'Ville.' },
  phone: { isRequired: false, content: 'Ex. +33491000001 ou 0491000001.' },
  civility: { isRequired: false, content: 'M ou MME.' },
  adeli: { isRequired: false, content: '9 chiffres.' },
  profession: { isRequired: false, content: 'Code profession TRE_G15 (ex. 10 médecin, 21 pharmacien).' },
  professionCategory: { isRequired: false, content: 'C (civil), E (étudiant) ou M (militaire).' },
  specialty: { isRequired: false, content: 'Code savoir-faire (ex. SM54).' },
  expiresAt: { isRequired: false, content: 'Date de fin de validité de la BAL : JJ/MM/AAAA.' },
  isTest: { isRequired: false, content: 'Oui/Non : compte de test.' },
  directoryVisible: { isRequired: false, content: "Oui/Non : BAL publiée dans l'annuaire national." },
  type: {
    isRequired: true,
    content:
      'PER (personnelle), MED (connexion Medimail seule), INT (interne, sans RPPS), ORG (organisationnelle) ou APP (applicative).',
  },
  description: { isRequired: false, content: 'ORG/APP : description de la BAL.' },
  responsibleLastName: { isRequired: false, content: RESPONSIBLE },
  responsibleFirstName: { isRequired: false, content: RESPONSIBLE },
  responsibleProfession: { isRequired: false, content: 'ORG/APP : code profession TRE_G15 du responsable.' },
  responsibleRpps: { isRequired: false, content: 'ORG/APP : RPPS du responsable (11 chiffres).' },
  responsibleAdeli: { isRequired: false, content: 'ORG/APP : ADELI du responsable (9 chiffres).' },
  paperless: { isRequired: false, content: 'Oui/Non : dématérialisation.' },
  mailboxPhone: { isRequired: false, content: 'Téléphone publié avec la BAL.' },
  delegates: {
    isRequired: false,
    content: 'Adresses (colonne A) de BAL nominatives PER, MED ou INT, séparées par « ; ».',
  },
  correspondenceLocalPart: { isRequired: false, content: "Partie de l'adresse MSSanté avant « @ »." },
  correspondenceDomain: { isRequired: false, content: 'Un des domaines MSSanté de la structure ; vide = le premier.' },
  status: { isRequired: false, content: EXPORT_ONLY },
  lastActivityAt: { isRequired: false, content: EXPORT_ONLY },
  id: { isRequired: false, content: EXPORT_ONLY },
  connectionAccounts: {
    isRequired: false,
    content: 'ORG/APP : adresses (colonne A) des comptes nominatifs qui se connectent à cette BAL, séparées par « ; ».',
  },
};
