/** Version 2 of the loaduser template: 34 columns, A to AH (the letters below). */
export const TEMPLATE_VERSION = 2;

/** Where the current template can be downloaded; quoted in "outdated template" errors. */
export const TEMPLATE_DOWNLOAD_ROUTE = 'GET /v1/imports/template';

/**
 * One key per column. Responsible columns are flat here (one key per cell) and nested only when
 * mapped to `MailboxFields`.
 */
export const LOADUSER_FIELD_KEYS = [
  'email',
  'lastName',
  'firstName',
  'rpps',
  'address',
  'organisationName',
  'service',
  'postalCode',
  'city',
  'phone',
  'civility',
  'adeli',
  'profession',
  'professionCategory',
  'specialty',
  'expiresAt',
  'isTest',
  'directoryVisible',
  'type',
  'description',
  'responsibleLastName',
  'responsibleFirstName',
  'responsibleProfession',
  'responsibleRpps',
  'responsibleAdeli',
  'paperless',
  'mailboxPhone',
  'delegates',
  'correspondenceLocalPart',
  'correspondenceDomain',
  'status',
  'lastActivityAt',
  'id',
  'connectionAccounts',
] as const;
export type LoaduserFieldKey = (typeof LOADUSER_FIELD_KEYS)[number];

const HEADERS: Record<LoaduserFieldKey, string> = {
  email: 'Adresse mail',
  lastName: 'Nom',
  firstName: 'Prénom',
  rpps: 'RPPS',
  address: 'Adresse',
  organisationName: 'Raison sociale',
  service: 'Service',
  postalCode: 'Code postal',
  city: 'Ville',
  phone: 'Téléphone',
  civility: 'Civilité',
  adeli: 'ADELI',
  profession: 'Profession',
  professionCategory: 'Catégorie professionnelle',
  specialty: 'Savoir-faire',
  expiresAt: 'Date de péremption',
  isTest: 'Compte de test',
  directoryVisible: 'Visible annuaire',
  type: 'Type de BAL',
  description: 'Description',
  responsibleLastName: 'Responsable nom',
  responsibleFirstName: 'Responsable prénom',
  responsibleProfession: 'Responsable profession',
  responsibleRpps: 'Responsable RPPS',
  responsibleAdeli: 'Responsable ADELI',
  paperless: 'Dématérialisation',
  mailboxPhone: 'Téléphone BAL',
  delegates: 'Délégués',
  correspondenceLocalPart: 'MSSanté adresse',
  correspondenceDomain: 'Domaine MSSanté',
  status: 'Statut',
  lastActivityAt: 'Dernière activité',
  id: 'Identifiant',
  connectionAccounts: 'Comptes de connexion',
};

export interface LoaduserColumn {
  /** Spreadsheet letter, A..AH. */
  letter: string;
  /** Zero-based position in a row's cells. */
  index: number;
  header: string;
  field: LoaduserFieldKey;
}

/** Spreadsheet letter of a zero-based column index: 0 → A, 25 → Z, 26 → AA. */
export function toColumnLetter(index: number): string {
  let letter = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letter = String.fromCharCode(65 + ((rest - 1) % 26)) + letter;
  }
  return letter;
}

export const LOADUSER_COLUMNS: readonly LoaduserColumn[] = LOADUSER_FIELD_KEYS.map((field, index) => ({
  letter: toColumnLetter(index),
  index,
  header: HEADERS[field],
  field,
}));

export const LOADUSER_HEADERS: readonly string[] = LOADUSER_COLUMNS.map((column) => column.header);

/** What each column past AH written by the deleted-boxes export holds; see `LIFECYCLE_EXPORT_COLUMNS`. */
export const LIFECYCLE_EXPORT_FIELDS = ['deletedAt', 'deletionDueAt', 'purgeAt'] as const;
export type LifecycleExportField = (typeof LIFECYCLE_EXPORT_FIELDS)[number];

const LIFECYCLE_EXPORT_HEADERS: Record<LifecycleExportField, string> = {
  deletedAt: 'Date de suppression',
  deletionDueAt: 'Suppression prévue le',
  purgeAt: 'Données effacées le',
};

/**
 * The export of deleted and soon-deleted boxes writes three columns after AH (AI, AJ, AK): when
 * the box was deleted, when it will be for inactivity, when its data is purged. Like AE to AG
 * they are written by the export and ignored on import, so that file imports as it is; any
 * other cell past AH is outside the template and fails its row.
 */
export const LIFECYCLE_EXPORT_COLUMNS: readonly {
  letter: string;
  index: number;
  header: string;
  field: LifecycleExportField;
}[] = LIFECYCLE_EXPORT_FIELDS.map((field, offset) => ({
  letter: toColumnLetter(LOADUSER_FIELD_KEYS.length + offset),
  index: LOADUSER_FIELD_KEYS.length + offset,
  header: LIFECYCLE_EXPORT_HEADERS[field],
  field,
}));

/** Header of a cell past the template's columns in an import's row errors: it has none of its own. */
export const OUTSIDE_TEMPLATE_HEADER = '(hors modèle)';

const COLUMNS_BY_FIELD = new Map(LOADUSER_COLUMNS.map((column) => [column.field, column]));

/** Looks a column up by its field key; every key has exactly one column. */
export function findLoaduserColumn(field: LoaduserFieldKey): LoaduserColumn {
  const column = COLUMNS_BY_FIELD.get(field);
  if (!column) throw new Error(`Unknown loaduser field ${field}`);
  return column;
}

/**
 * Headers are matched trimmed, case- and accent-insensitively; inner runs of spaces (including
 * the non-breaking ones spreadsheets like to insert) count as one space.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
    .toLowerCase();
}
