import type { MailboxType } from './mailbox-vocabulary';

/**
 * Whether a box of each type carries its holder's own RPPS or ADELI number, the one place this
 * is decided (the API, the import and the type change all check boxes through the mailbox rules,
 * which read it):
 * - PER is published under its holder's number, so one is required;
 * - MED is the deck's login "Sans n° RPPS ou ADELI", only to open shared boxes: a professional
 *   with a number gets a PER box instead, so a number there is refused;
 * - INT is a temporary box for someone awaiting a number (a foreign doctor before the RPPS):
 *   it may receive it later, and becomes publishable as PER then;
 * - ORG and APP are published under their structure's identifier; the person's number belongs
 *   on the responsible.
 */
export type NationalIdentifierRule = 'required' | 'optional' | 'forbidden';

export const NATIONAL_IDENTIFIER_RULES: Readonly<Record<MailboxType, NationalIdentifierRule>> = {
  PER: 'required',
  MED: 'forbidden',
  INT: 'optional',
  ORG: 'forbidden',
  APP: 'forbidden',
};

/** Why a type refuses a number of its own, in the words an administrator reads in a 422 or a row error. */
export const NATIONAL_IDENTIFIER_REFUSALS: Readonly<Partial<Record<MailboxType, string>>> = {
  MED: 'MED boxes are logins without RPPS or ADELI ("Sans n° RPPS ou ADELI"): give a professional with a number a PER box.',
  ORG: "ORG boxes carry no number of their own; put the person's number on the responsible.",
  APP: "APP boxes carry no number of their own; put the person's number on the responsible.",
};
