import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { mailboxes, mssanteAddresses } from '../../db/schema';
import { defaultDirectoryVisible } from '../../domain/mailbox-status';
import { MAILBOX_STATUSES } from '../../domain/mailbox-vocabulary';
import type { JsonText } from '../../shared/pagination';
import { CorrespondenceSchema, MailboxSchema, type Correspondence, type Mailbox } from './mailboxes.schemas';

/**
 * A box's public view (`Mailbox`) written by PostgreSQL as JSON text, for the list and the search:
 * the same view `toMailbox` builds from a record, here built where the rows are, and kept on each
 * box (`listedView`) by the trigger of migration `mailbox-listed-view`, which writes
 * `mailboxJson` below.
 *
 * -- why a second writer of the view: a page of 50 boxes read as rows costs the API process about
 * 1 ms (pg parses 49 columns a row, drizzle maps them, `toMailbox` copies them, the serialiser
 * writes them, the garbage collector clears all three), more than the whole page costs
 * PostgreSQL; read as one text per box and sent as it is, a small fraction (bench/RESULTS.md,
 * issue 16). Writes keep `toMailbox`: they hold their record already.
 * The two cannot drift apart unnoticed: the map below is typed against `Mailbox` (a field added to
 * the contract does not compile until it is here), it is written in the contract's own order,
 * `mailbox-json.test.ts` compares every listed box with what GET answers for it, in every status,
 * and the database's trigger with `mailboxJson` (a changed map takes a migration that replaces
 * the function and rewrites the views).
 * Each value is written as JSON text by the cheapest means exact for its column: a generic
 * `json_build_object` costs PostgreSQL 15 half as much again per row, and writes " : " between
 * each key and value (a tenth more bytes to send).
 */
/** Text that never needs escaping: ids, and the contract's enumerations. */
const token = (value: SQL | PgColumn) => sql`'"' || ${value} || '"'`;
/** Any other text, escaped. */
const text = (column: PgColumn) => sql`to_json(${column})::text`;
/** `true` or `false` (the cast writes them whole; a bare boolean in a concatenation writes `t`). */
const boolean = (column: PgColumn) => sql`${column}::text`;
/** The ISO 8601 instant `Date.toISOString` writes (the columns keep milliseconds: precision 3). */
const instant = (column: PgColumn) =>
  token(sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
/** A nullable column's value, or `null`. */
const orNull = (value: SQL) => sql`coalesce(${value}, 'null')`;

/** The statuses whose boxes the directory lists unless the box says otherwise (`defaultDirectoryVisible`). */
const listedByDefault = sql.raw(
  `array[${MAILBOX_STATUSES.filter(defaultDirectoryVisible)
    .map((status) => `'${status}'`)
    .join(', ')}]::text[]`,
);

const correspondence: Record<keyof Correspondence, SQL> = {
  localPart: text(mssanteAddresses.localPart),
  domain: text(mssanteAddresses.domain),
  address: text(mssanteAddresses.address),
  isTest: boolean(mssanteAddresses.isTest),
  assignedAt: instant(mssanteAddresses.assignedAt),
};

const fields: Record<keyof Mailbox, SQL> = {
  id: token(mailboxes.id),
  structureId: token(mailboxes.structureId),
  type: token(mailboxes.type),
  email: text(mailboxes.email),
  status: token(mailboxes.status),
  lastName: text(mailboxes.lastName),
  firstName: text(mailboxes.firstName),
  civility: orNull(text(mailboxes.civility)),
  profession: orNull(text(mailboxes.profession)),
  professionCategory: orNull(text(mailboxes.professionCategory)),
  specialty: orNull(text(mailboxes.specialty)),
  rpps: orNull(text(mailboxes.rpps)),
  adeli: orNull(text(mailboxes.adeli)),
  service: orNull(text(mailboxes.service)),
  organisationName: orNull(text(mailboxes.organisationName)),
  address: orNull(text(mailboxes.address)),
  postalCode: orNull(text(mailboxes.postalCode)),
  city: orNull(text(mailboxes.city)),
  phone: orNull(text(mailboxes.phone)),
  mailboxPhone: orNull(text(mailboxes.mailboxPhone)),
  paperless: orNull(boolean(mailboxes.paperless)),
  // A date column: JSON writes it as ISO 8601 (YYYY-MM-DD) whatever the session's DateStyle.
  expiresAt: orNull(text(mailboxes.expiresAt)),
  isTest: boolean(mailboxes.isTest),
  directoryVisible: sql`coalesce(${mailboxes.directoryVisible}, ${mailboxes.status} = any(${listedByDefault}))::text`,
  directoryVisibility: sql`case when ${mailboxes.directoryVisible} is null then '"default"' else '"explicit"' end`,
  responsible: orNull(sql`${mailboxes.responsible}::text`),
  description: orNull(text(mailboxes.description)),
  // The joined row is the active address (`activeAddressJoin`); none joined, no correspondence.
  correspondence: sql`case when ${mssanteAddresses.id} is null then 'null' else ${jsonObject(correspondence, Object.keys(CorrespondenceSchema.properties))} end`,
  lastActivityAt: orNull(instant(mailboxes.lastActivityAt)),
  createdAt: instant(mailboxes.createdAt),
  updatedAt: instant(mailboxes.updatedAt),
};

/** `{"key":value,…}` in the contract's order of keys (each value already JSON text). */
function jsonObject<K extends string>(values: Record<K, SQL>, order: readonly string[]): SQL {
  const pairs = order.map(
    (key, index) => sql`${sql.raw(`'${index === 0 ? '{' : ','}"${key}":'`)} || ${values[key as K]}`,
  );
  return sql`(${sql.join(pairs, sql` || `)} || '}')`;
}

/**
 * The view of the box of a query over `mailboxes` left-joined to its active address, as text:
 * pg hands text over as it is (a `json` value it would parse into objects, which is what this avoids).
 */
export const mailboxJson = sql<JsonText>`${jsonObject(fields, Object.keys(MailboxSchema.properties))}`;

/**
 * The view as kept on the box (migration `mailbox-listed-view`; left out of the drizzle schema, like
 * the search terms, so that no other read carries it).
 */
export const listedView = sql<JsonText>`${mailboxes}."listed_view"`;
