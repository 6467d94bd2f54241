import { randomUUID } from 'node:crypto';
import { toColumns, toMailbox } from './mailbox-mapper';
import type { MailboxFields } from '../../domain/mailbox-vocabulary';
import type { Mailbox } from './mailboxes.schemas';
import type { MailboxRecord, MailboxRow } from './mailboxes.repository';
import { generateRegistrationToken } from './registration-token';

/** The columns `toColumns` fills from a box's fields. */
type FieldColumn =
  | 'type'
  | 'email'
  | 'emailKey'
  | 'lastName'
  | 'firstName'
  | 'lastNameKey'
  | 'firstNameKey'
  | 'civility'
  | 'profession'
  | 'professionCategory'
  | 'specialty'
  | 'rpps'
  | 'adeli'
  | 'service'
  | 'organisationName'
  | 'address'
  | 'postalCode'
  | 'city'
  | 'phone'
  | 'mailboxPhone'
  | 'paperless'
  | 'expiresAt'
  | 'isTest'
  | 'directoryVisible'
  | 'responsible'
  | 'description';

/**
 * How a door into the service starts a box:
 * - an admin's create (`POST /v1/mailboxes`) and an import: `preregistered`, waiting for its user;
 * - a self sign-up: `pending`, waiting for an admin of the structure.
 * A preregistered box holds the hash of a registration token from its first moment, whether or
 * not an invitation carries the token now (a reminder makes a new one later); a pending box has
 * none, its user being already known.
 */
export type NewMailboxStatus = 'preregistered' | 'pending';

export interface NewMailbox {
  row: MailboxRow;
  /** The registration token to send (only its hash is stored), for a preregistered box. */
  token: string | null;
}

/**
 * The one way a new box's row is built, by the API's create, the self sign-up and the import:
 * every column given (one read of the clock for its creation and update times), so the import
 * writes whole rows in one statement and the audit and the invitation describe them with no
 * read back.
 */
export function buildNewMailbox(
  fields: MailboxFields,
  structureId: string,
  now: Date,
  status: NewMailboxStatus,
): NewMailbox {
  const { token, tokenHash } =
    status === 'preregistered' ? generateRegistrationToken() : { token: null, tokenHash: null };
  // Typed apart so that a column added to the table later has to be given a value here.
  const rest: Omit<MailboxRow, FieldColumn> = {
    id: randomUUID(),
    structureId,
    status,
    formerStatus: null,
    registrationTokenHash: tokenHash,
    lastActivityAt: null,
    registeredAt: null,
    deletedAt: null,
    restoredAt: null,
    purgedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  // Object.assign, not a spread: on Node.js 20, spreading two objects into one of about forty
  // properties costs tens of microseconds (V8 11), which a 100,000-row import pays per row.
  const row = Object.assign(toColumns(fields), rest) as MailboxRow;
  return { row, token };
}

/** The links a box is given in the step that creates it (an import row's AB and AH columns). */
export interface NewMailboxLinks {
  delegates: string[];
  connectionAccounts: string[];
}

/**
 * What the audit records of a box (the `after` of its creation): the API's view of the box. A
 * box created with links (only an import does that, in the same step) also shows them, as the
 * import's updates do; the API's doors create a box without links and record its view alone.
 * Built with Object.assign on a fresh object: a spread into an object this wide is slow on Node.js 20.
 */
export function mailboxAuditView(
  record: MailboxRecord,
  links?: NewMailboxLinks,
): Mailbox | (Mailbox & NewMailboxLinks) {
  const view = toMailbox(record);
  return links ? Object.assign(view, links) : view;
}
