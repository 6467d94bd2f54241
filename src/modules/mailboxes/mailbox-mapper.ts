import { toSearchKey } from '../../shared/search-key';
import { resolveDirectoryVisible } from '../../domain/mailbox-status';
import type { MailboxFields } from '../../domain/mailbox-vocabulary';
import type { MailboxInsert, MailboxRecord, MailboxRow } from './mailboxes.repository';
import type { Mailbox, UpdateMailboxBody } from './mailboxes.schemas';

export function toMailbox({ mailbox, address }: MailboxRecord): Mailbox {
  return {
    id: mailbox.id,
    structureId: mailbox.structureId,
    type: mailbox.type,
    email: mailbox.email,
    status: mailbox.status,
    lastName: mailbox.lastName,
    firstName: mailbox.firstName,
    civility: mailbox.civility,
    profession: mailbox.profession,
    professionCategory: mailbox.professionCategory,
    specialty: mailbox.specialty,
    rpps: mailbox.rpps,
    adeli: mailbox.adeli,
    service: mailbox.service,
    organisationName: mailbox.organisationName,
    address: mailbox.address,
    postalCode: mailbox.postalCode,
    city: mailbox.city,
    phone: mailbox.phone,
    mailboxPhone: mailbox.mailboxPhone,
    paperless: mailbox.paperless,
    expiresAt: mailbox.expiresAt,
    isTest: mailbox.isTest,
    directoryVisible: resolveDirectoryVisible(mailbox.status, mailbox.directoryVisible),
    directoryVisibility: mailbox.directoryVisible === null ? 'default' : 'explicit',
    responsible: mailbox.responsible ?? null,
    description: mailbox.description,
    correspondence: address
      ? {
          localPart: address.localPart,
          domain: address.domain,
          address: address.address,
          isTest: address.isTest,
          assignedAt: address.assignedAt.toISOString(),
        }
      : null,
    lastActivityAt: mailbox.lastActivityAt?.toISOString() ?? null,
    createdAt: mailbox.createdAt.toISOString(),
    updatedAt: mailbox.updatedAt.toISOString(),
  };
}

/** Trims text and turns blanks into null, so that "  " never reaches the database. */
const clean = (value: string | null | undefined) => {
  if (value === undefined) return undefined;
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** The caller's fields as the rules and the database see them (undefined = not given). */
export function normaliseFields<T extends Partial<MailboxFields>>(fields: T): T {
  const normalised: Record<string, unknown> = { ...fields };
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') normalised[key] = clean(value);
  }
  if (typeof fields.email === 'string') normalised.email = fields.email.trim();
  if (fields.responsible) {
    normalised.responsible = Object.fromEntries(
      Object.entries(fields.responsible).map(([key, value]) => [key, typeof value === 'string' ? clean(value) : value]),
    );
  }
  return normalised as T;
}

/** A stored box as rule input, with `changes` laid over it. */
export function mergeFields(
  row: MailboxRow,
  changes: UpdateMailboxBody & { type?: MailboxFields['type'] },
): MailboxFields {
  const stored: MailboxFields = {
    type: row.type,
    email: row.email,
    lastName: row.lastName,
    firstName: row.firstName,
    civility: row.civility,
    profession: row.profession,
    professionCategory: row.professionCategory,
    specialty: row.specialty,
    rpps: row.rpps,
    adeli: row.adeli,
    service: row.service,
    organisationName: row.organisationName,
    address: row.address,
    postalCode: row.postalCode,
    city: row.city,
    phone: row.phone,
    mailboxPhone: row.mailboxPhone,
    paperless: row.paperless,
    expiresAt: row.expiresAt,
    isTest: row.isTest,
    directoryVisible: row.directoryVisible,
    responsible: row.responsible,
    description: row.description,
  };
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  // Object.assign, not a spread: cheaper on Node.js 20 for objects this wide (see imports/processing/new-rows).
  return Object.assign(stored, defined);
}

/** The columns for a box's fields, with the search keys derived from the names. */
export function toColumns(fields: MailboxFields): Omit<MailboxInsert, 'structureId' | 'status'> {
  return {
    type: fields.type,
    email: fields.email,
    emailKey: fields.email.toLowerCase(),
    lastName: fields.lastName,
    firstName: fields.firstName,
    lastNameKey: toSearchKey(fields.lastName),
    firstNameKey: toSearchKey(fields.firstName),
    civility: fields.civility ?? null,
    profession: fields.profession ?? null,
    professionCategory: fields.professionCategory ?? null,
    specialty: fields.specialty ?? null,
    rpps: fields.rpps ?? null,
    adeli: fields.adeli ?? null,
    service: fields.service ?? null,
    organisationName: fields.organisationName ?? null,
    address: fields.address ?? null,
    postalCode: fields.postalCode ?? null,
    city: fields.city ?? null,
    phone: fields.phone ?? null,
    mailboxPhone: fields.mailboxPhone ?? null,
    paperless: fields.paperless ?? null,
    expiresAt: fields.expiresAt ?? null,
    isTest: fields.isTest ?? false,
    directoryVisible: fields.directoryVisible ?? null,
    responsible: fields.responsible ?? null,
    description: fields.description ?? null,
  };
}
