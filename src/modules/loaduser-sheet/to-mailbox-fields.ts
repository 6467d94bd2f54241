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
 * Maps a row to the fields the mailbox rules take. Empty cells stay `undefined` ("not given"),
 * never `null`: an import does not clear by leaving a cell empty. The responsible is built
 * when any of columns U to Y is filled; a missing name then stays empty for the rules to refuse
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
  if (responsibleCells.some((value) => value !== undefined)) {
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
