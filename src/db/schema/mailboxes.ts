import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { MailboxStatus, MailboxType, Responsible } from '../../domain/mailbox-vocabulary';
import { primaryId, timestamps, version } from './columns';
import { structures } from './structures';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
/**
 * Search and sort keys compare byte-wise whatever the database's locale: prefix searches are
 * then plain range scans of the sort indexes, and the order is the same on every server.
 */
const searchKey = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const mailboxes = pgTable(
  'mailboxes',
  {
    id: primaryId(),
    structureId: uuid('structure_id')
      .notNull()
      .references(() => structures.id, { onDelete: 'restrict' }),
    type: text('type').$type<MailboxType>().notNull(),
    /** The reference address and login, as given. */
    email: text('email').notNull(),
    /** lower(email): uniqueness and search are case-insensitive. */
    emailKey: searchKey('email_key').notNull(),
    status: text('status').$type<MailboxStatus>().notNull(),
    /** Where deactivate/delete came from, for reactivate/restore. */
    formerStatus: text('former_status').$type<MailboxStatus>(),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    /** Lower-case, accent-free names for prefix search (computed in the service, portable to PGlite). */
    lastNameKey: searchKey('last_name_key').notNull(),
    firstNameKey: searchKey('first_name_key').notNull(),
    civility: text('civility'),
    profession: text('profession'),
    professionCategory: text('profession_category'),
    specialty: text('specialty'),
    rpps: text('rpps'),
    adeli: text('adeli'),
    service: text('service'),
    organisationName: text('organisation_name'),
    address: text('address'),
    postalCode: text('postal_code'),
    city: text('city'),
    phone: text('phone'),
    mailboxPhone: text('mailbox_phone'),
    paperless: boolean('paperless'),
    expiresAt: date('expires_at', { mode: 'string' }),
    isTest: boolean('is_test').notNull().default(false),
    /** null: follow the default (unlisted until the user finishes registration). */
    directoryVisible: boolean('directory_visible'),
    responsible: jsonb('responsible').$type<Responsible>(),
    description: text('description'),
    lastActivityAt: instant('last_activity_at'),
    registrationTokenHash: text('registration_token_hash'),
    registeredAt: instant('registered_at'),
    deletedAt: instant('deleted_at'),
    /** Set by restore: a restored box gets a fresh inactivity period from this instant. */
    restoredAt: instant('restored_at'),
    /** Personal data erased after the retention period; the row stays for the audit trail. */
    purgedAt: instant('purged_at'),
    version: version(),
    ...timestamps(),
  },
  (table) => [
    // -- why: a deleted box keeps its e-mail for restore, but no longer reserves it.
    uniqueIndex('mailboxes_email_key_active_idx')
      .on(table.emailKey)
      .where(sql`${table.status} <> 'deleted'`),
    index('mailboxes_structure_status_idx').on(table.structureId, table.status),
    // The name-order indexes (the whole list's and a structure's, the console's main view) are
    // defined by migration 0021_covering-name-indexes: they carry the search terms, unknown here.
    index('mailboxes_email_sort_idx').on(table.emailKey, table.id),
    index('mailboxes_created_sort_idx').on(table.createdAt, table.id),
    uniqueIndex('mailboxes_registration_token_idx').on(table.registrationTokenHash),
    index('mailboxes_expires_idx')
      .on(table.expiresAt)
      .where(sql`${table.status} not in ('deactivated', 'deleted')`),
    index('mailboxes_activity_idx').on(table.lastActivityAt),
    // -- why: the alimentation report walks a structure's boxes in id order, in keyset batches.
    index('mailboxes_structure_id_idx').on(table.structureId, table.id),
  ],
);

/**
 * MSSanté addresses, with their history: changing an address withdraws the old row and adds a
 * new one (the ANS never sees a change, only a withdrawal and a new entry).
 */
export const mssanteAddresses = pgTable(
  'mssante_addresses',
  {
    id: primaryId(),
    // Deferrable (migration 0014, which drizzle cannot express): the import gives addresses before their boxes.
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    structureId: uuid('structure_id').notNull(),
    localPart: text('local_part').notNull(),
    domain: text('domain').notNull(),
    address: text('address').notNull(),
    isTest: boolean('is_test').notNull().default(false),
    assignedAt: instant('assigned_at').notNull(),
    withdrawnAt: instant('withdrawn_at'),
  },
  (table) => [
    uniqueIndex('mssante_addresses_active_idx')
      .on(table.address)
      .where(sql`${table.withdrawnAt} is null`),
    uniqueIndex('mssante_addresses_one_active_per_mailbox_idx')
      .on(table.mailboxId)
      .where(sql`${table.withdrawnAt} is null`),
    index('mssante_addresses_structure_idx').on(table.structureId),
    index('mssante_addresses_withdrawn_idx').on(table.withdrawnAt),
  ],
);

/** Nominative logins allowed to open an ORG or APP box. */
export const connectionAccounts = pgTable(
  'connection_accounts',
  {
    sharedMailboxId: uuid('shared_mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    accountMailboxId: uuid('account_mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    isDefault: boolean('is_default').notNull().default(false),
    notifyOnReceipt: boolean('notify_on_receipt').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('connection_accounts_pair_idx').on(table.sharedMailboxId, table.accountMailboxId),
    // -- why: a login opens at most one box by default, across all the boxes it can open.
    uniqueIndex('connection_accounts_one_default_idx')
      .on(table.accountMailboxId)
      .where(sql`${table.isDefault}`),
    index('connection_accounts_account_idx').on(table.accountMailboxId),
  ],
);

export const delegates = pgTable(
  'delegates',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    delegateMailboxId: uuid('delegate_mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('delegates_pair_idx').on(table.mailboxId, table.delegateMailboxId),
    index('delegates_delegate_idx').on(table.delegateMailboxId),
  ],
);

export const emailChangeRequests = pgTable(
  'email_change_requests',
  {
    id: primaryId(),
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    structureId: uuid('structure_id').notNull(),
    currentEmail: text('current_email').notNull(),
    newEmail: text('new_email').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'cancelled'] })
      .notNull()
      .default('pending'),
    reason: text('reason'),
    requestedBy: text('requested_by'),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
    version: version(),
    ...timestamps(),
  },
  (table) => [
    index('email_change_requests_structure_idx').on(table.structureId, table.status, table.createdAt),
    uniqueIndex('email_change_requests_one_pending_idx')
      .on(table.mailboxId)
      .where(sql`${table.status} = 'pending'`),
    // -- why: a pending request reserves its new address (case-insensitively) until it is decided.
    uniqueIndex('email_change_requests_pending_new_email_idx')
      .on(sql`lower(${table.newEmail})`)
      .where(sql`${table.status} = 'pending'`),
  ],
);

/** The notification outbox: written in the transaction of its cause, delivered by a job. */
export const notifications = pgTable(
  'notifications',
  {
    id: primaryId(),
    structureId: uuid('structure_id'),
    mailboxId: uuid('mailbox_id'),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed'] })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Makes a notification that must go once (e.g. a warning per deadline) unique. */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: instant('created_at').notNull().defaultNow(),
    sentAt: instant('sent_at'),
  },
  (table) => [index('notifications_structure_idx').on(table.structureId, table.createdAt)],
);

export const reminders = pgTable(
  'reminders',
  {
    id: primaryId(),
    structureId: uuid('structure_id')
      .notNull()
      .references(() => structures.id, { onDelete: 'cascade' }),
    sent: integer('sent').notNull(),
    at: instant('at').notNull(),
    actorId: text('actor_id'),
  },
  (table) => [index('reminders_structure_idx').on(table.structureId, table.at)],
);

/**
 * Who a reminder reached ("Afficher la dernière relance"): each box reminded and the reference
 * address the reminder went to, written in the reminder's transaction. The address is a copy,
 * erased by the purge with the box's other personal data.
 */
export const reminderRecipients = pgTable(
  'reminder_recipients',
  {
    reminderId: uuid('reminder_id')
      .notNull()
      .references(() => reminders.id, { onDelete: 'cascade' }),
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    recipient: text('recipient').notNull(),
  },
  (table) => [
    // -- why: the view pages a reminder's recipients in address order; the key is also the cursor.
    uniqueIndex('reminder_recipients_page_idx').on(table.reminderId, table.recipient, table.mailboxId),
    index('reminder_recipients_mailbox_idx').on(table.mailboxId),
  ],
);

/**
 * The share of boxes holding each of the most frequent search terms, copied from the table's own
 * statistics (`pg_stats` of `mailboxes.search_terms`, kept by ANALYZE) by the periodic job
 * `mailboxes.refresh-search-statistics`. A one-word search reads it to choose how to read its page
 * (mailbox-search-page.ts).
 * -- why a copy: reading `pg_stats` expands a view over four catalogs and decompresses and
 * re-parses its array of about a thousand terms on every search, a fifth of a one-word search's
 * cost in PostgreSQL; this is a range of a small index. Stale or empty, it only costs time: a
 * search then probes the GIN index first, as for a rare word.
 */
export const searchTermShares = pgTable('search_term_shares', {
  term: searchKey('term').primaryKey(),
  share: real('share').notNull(),
});
