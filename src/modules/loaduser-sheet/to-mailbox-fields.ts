import type { MailboxFields, MailboxType } from '../../domain/mailbox-vocabulary';
import type { LoaduserRowFields } from './loaduser-row-fields';

/** Row fields whose required cells (A, B, C, S) are filled: the only rows that become boxes. */
export type CompleteLoaduserRowFields = LoaduserRowFields & {
  email: string;
  lastName: string;
  firstName: string;
  type: MailboxType;
};

export function hasRequiredFields(fields: LoaduserRowFields): fields is CompleteLoaduserRowFields {
  return (
    fields.email !== undefined &&
    fields.lastName !== undefined &&
    fields.firstName !== undefined &&
    fields.type !== undefined
  );
}

/**
 * The row as a row that creates a box reads it: there is nothing to clear yet, so `#VIDE` cells
 * (`null`) are empty cells.
 */
export function withoutClearMarkers<Fields extends LoaduserRowFields>(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null)) as Fields;
}

/**
 * Maps a row to the fields the mailbox rules take. Empty cells stay `undefined` ("not given"),
 * never `null`: an import does not clear by leaving a cell empty, only with `#VIDE` (`null`).
 * `#VIDE` in U or V gives no responsible (`null`); otherwise the responsible is built
 * when any of columns U to Y is filled or cleared; a missing name then stays empty for the rules to refuse
 * (the row parser has already reported it). Delegates, the MSSanté address and connection
 * accounts are not box fields: read them from the row fields.
 */
export function toMailboxFields(fields: CompleteLoaduserRowFields): MailboxFields {
  const mailbox: MailboxFields = {
    type: fields.type,
    email: fields.email,
    lastName: fields.lastName,
    firstName: fields.firstName,
    profession: fields.profession,
    rpps: fields.rpps,
    adeli: fields.adeli,
    service: fields.service,
    organisationName: fields.organisationName,
    address: fields.address,
    postalCode: fields.postalCode,
    city: fields.city,
    phone: fields.phone,
    mailboxPhone: fields.mailboxPhone,
    civility: fields.civility,
    professionCategory: fields.professionCategory,
    specialty: fields.specialty,
    paperless: fields.paperless,
    expiresAt: fields.expiresAt,
    isTest: fields.isTest,
    directoryVisible: fields.directoryVisible,
    description: fields.description,
  };
  const responsibleCells = [
    fields.responsibleLastName,
    fields.responsibleFirstName,
    fields.responsibleProfession,
    fields.responsibleRpps,
    fields.responsibleAdeli,
  ];
  if (fields.responsibleLastName === null || fields.responsibleFirstName === null) {
    mailbox.responsible = null;
  } else if (responsibleCells.some((value) => value !== undefined)) {
    mailbox.responsible = {
      lastName: fields.responsibleLastName ?? '',
      firstName: fields.responsibleFirstName ?? '',
      profession: fields.responsibleProfession,
      rpps: fields.responsibleRpps,
      adeli: fields.responsibleAdeli,
    };
  }
  // Drop the keys of empty cells so that "not given" is an absent key, as in API bodies.
  for (const key of Object.keys(mailbox) as (keyof MailboxFields)[]) {
    if (mailbox[key] === undefined) delete mailbox[key];
  }
  if (mailbox.responsible) {
    for (const key of Object.keys(mailbox.responsible) as (keyof typeof mailbox.responsible)[]) {
      if (mailbox.responsible[key] === undefined) delete mailbox.responsible[key];
    }
  }
  return mailbox;
}
