import { MAILBOX_TYPES } from '../../../domain/mailbox-vocabulary';
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
