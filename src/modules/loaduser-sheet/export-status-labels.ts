import type { MailboxStatus } from '../../domain/mailbox-vocabulary';

/**
 * Column AE of the exports, in French like every header of the file and the deck's own words
 * (préinscrit, à valider, rejeté): the people who open an export read the file, not the API.
 * Feminine, as "boîte". The import ignores the column, so labels can change without breaking it.
 */
export const EXPORT_STATUS_LABELS: Readonly<Record<MailboxStatus, string>> = {
  preregistered: 'Préinscrite',
  pending: 'À valider',
  valid: 'Valide',
  rejected: 'Rejetée',
  deactivated: 'Désactivée',
  deleted: 'Supprimée',
};
