import { MAILBOX_TYPES } from '../../../domain/mailbox-vocabulary';
import { lacksExpiryDate, TEMPORARY_TYPES } from '../../../domain/temporary-box-policy';
import type { AlimentationRule } from './rule-types';
import { isActiveStatus } from './is-active-status';

export const EXPIRY_PASSED: AlimentationRule = {
  code: 'EXPIRY_PASSED',
  severity: 'warning',
  appliesTo: MAILBOX_TYPES,
  field: 'expiresAt',
  message: {
    en: 'The expiry date has passed but the box is still active.',
    fr: 'La date de péremption est dépassée mais la boîte est toujours active.',
  },
  // Strictly before today: on the expiry day itself the daily sweep may simply not have run yet.
  // Dates are YYYY-MM-DD, so string order is date order.
  check: ({ expiresAt, status }, { today }) => expiresAt !== null && expiresAt < today && isActiveStatus(status),
};

/** The deck calls INT boxes temporary; a structure may refuse them without a date (`intExpiryRequired`). */
export const INT_WITHOUT_EXPIRY: AlimentationRule = {
  code: 'INT_WITHOUT_EXPIRY',
  severity: 'warning',
  appliesTo: TEMPORARY_TYPES,
  field: 'expiresAt',
  message: {
    en: 'This internal box is temporary but has no expiry date: it will stay open until someone closes it.',
    fr: "Cette boîte interne est temporaire mais n'a pas de date de péremption : elle restera ouverte tant que personne ne la ferme.",
  },
  check: (subject) => lacksExpiryDate(subject),
};
