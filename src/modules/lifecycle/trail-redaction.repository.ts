import { inArray, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db/database';
import { emailChangeRequests, mssanteAddresses } from '../../db/schema';
import type { MailboxRow } from '../mailboxes';
import { PURGED_FIELDS } from './lifecycle-purge.repository';

/** What replaces a personal value in the trail: the key stays, so what changed is still known. */
export const REDACTION_MARKER = '[purged]';

/**
 * The keys whose values are personal in the snapshots the trail keeps: the box's own fields
 * (`PURGED_FIELDS`), and those of the shapes copied from it (its correspondence's local part,
 * a change-of-mail request's addresses and reason, a directory entry's holder identifier, which
 * is the RPPS with its prefix).
 */
export const PERSONAL_KEYS: readonly string[] = [
  ...PURGED_FIELDS,
  'localPart',
  'currentEmail',
  'newEmail',
  'reason',
  'holderIdentifier',
  'recipient',
];

/** A box about to be purged: its id, and the values that identify it wherever they were copied. */
export interface BoxToRedact {
  id: string;
  values: string[];
}

/**
 * The identifying values of boxes about to be purged, read before the purge erases them: e-mail,
 * RPPS, ADELI, every MSSanté address they held and every address a change-of-mail request named
 * (as written, and in lower case, the form import link columns keep).
 */
export async function identifyingValuesOf(executor: Executor, boxes: readonly MailboxRow[]): Promise<BoxToRedact[]> {
  const ids = boxes.map((box) => box.id);
  if (ids.length === 0) return [];
  const addresses = await executor
    .select({ mailboxId: mssanteAddresses.mailboxId, address: mssanteAddresses.address })
    .from(mssanteAddresses)
    .where(inArray(mssanteAddresses.mailboxId, ids));
  const requests = await executor
    .select({
      mailboxId: emailChangeRequests.mailboxId,
      currentEmail: emailChangeRequests.currentEmail,
      newEmail: emailChangeRequests.newEmail,
    })
    .from(emailChangeRequests)
    .where(inArray(emailChangeRequests.mailboxId, ids));
  return boxes.map((box) => {
    const values = [
      box.email,
      box.rpps,
      box.adeli,
      ...addresses.filter((row) => row.mailboxId === box.id).map((row) => row.address),
      ...requests.filter((row) => row.mailboxId === box.id).flatMap((row) => [row.currentEmail, row.newEmail]),
    ].filter((value): value is string => typeof value === 'string' && value.length > 0);
    return { id: box.id, values: [...new Set([...values, ...values.map((value) => value.toLowerCase())])] };
  });
}

/** A text[] parameter (drizzle spreads a JS array into a list of parameters, not an array). */
const textArray = (values: readonly string[]) =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** The columns of a table holding copies of audit entries: the trail itself, or the event feed. */
interface TrailTable {
  table: SQL;
  subjectId: SQL;
  documents: readonly SQL[];
}

const AUDIT_TABLE: TrailTable = {
  table: sql.raw('audit_events'),
  subjectId: sql.raw('target_id'),
  documents: [sql.raw('cause'), sql.raw('before'), sql.raw('after')],
};
const FEED_TABLE: TrailTable = {
  table: sql.raw('events'),
  subjectId: sql.raw('subject_id'),
  documents: [sql.raw('cause'), sql.raw('data')],
};

/**
 * Redacts, in one statement, what a table of the trail holds about the given boxes, and answers
 * how many rows it changed per box. Two kinds of rows:
 * - about a box: its `mailbox_id` or its subject is the box (a delegate, a connection account),
 *   which lose every personal key (`whole`);
 * - mentioning it: another row of a structure the box was in whose text holds its id or one of
 *   its values (another box's import row listing it in column AB or AH, a list of connection
 *   accounts): only what is the box's is redacted there.
 * A subject that is one of the values (a directory entry is keyed by its address) is redacted too.
 */
function redactionQuery(target: TrailTable, boxes: readonly BoxToRedact[]): SQL {
  const { table, subjectId } = target;
  const ids = boxes.map((box) => box.id);
  const values = [...new Set(boxes.flatMap((box) => box.values))];
  // What is searched in a row's text: each box's id and values as JSON strings, quotes included.
  const needles = boxes.map((box) => ({ id: box.id, needles: [box.id, ...box.values].map((v) => JSON.stringify(v)) }));
  const rowText = sql.join(
    target.documents.map((column) => sql`coalesce(${column}::text, '')`),
    sql` || `,
  );
  const redacted = (column: SQL) =>
    sql`balise_redact_personal(t.${column}, ${textArray(PERSONAL_KEYS)}, ${textArray(ids)}, ${textArray(values)}, hits.whole) as ${column}`;
  // Only rows whose text changes are written, and counted.
  const differs = sql.join(
    [...target.documents, subjectId].map((column) => sql`t.${column} is distinct from r.${column}`),
    sql` or `,
  );
  return sql`
    with boxes as (
      select * from jsonb_to_recordset(${JSON.stringify(needles)}::jsonb) as b(id uuid, needles text[])
    ),
    about as (
      select t.sequence, b.id as box_id from ${table} t join boxes b on t.mailbox_id = b.id
      union
      select t.sequence, b.id from ${table} t join boxes b on t.${subjectId} = b.id::text
    ),
    box_structures as (
      select distinct t.structure_id, a.box_id from about a join ${table} t on t.sequence = a.sequence
      where t.structure_id is not null
      union
      select m.structure_id, m.id from mailboxes m join boxes b on b.id = m.id
    ),
    mentioning as (
      select t.sequence, s.box_id from ${table} t
      join box_structures s on t.structure_id = s.structure_id
      join boxes b on b.id = s.box_id
      where not exists (select 1 from about a where a.sequence = t.sequence)
        and exists (select 1 from unnest(b.needles) needle where strpos(${rowText}, needle) > 0)
    ),
    hits as (
      select distinct on (sequence) sequence, box_id, whole from (
        select sequence, box_id, true as whole from about
        union all
        select sequence, box_id, false from mentioning
      ) found order by sequence, whole desc
    ),
    redacted as (
      select t.sequence, hits.box_id, ${sql.join(target.documents.map(redacted), sql`, `)},
        case when t.${subjectId} = any(${textArray(values)}) then ${REDACTION_MARKER} else t.${subjectId} end as ${subjectId}
      from ${table} t join hits on t.sequence = hits.sequence
    ),
    changed as (
      update ${table} t set
        ${sql.join(
          [...target.documents, subjectId].map((column) => sql`${column} = r.${column}`),
          sql`, `,
        )}
      from redacted r where t.sequence = r.sequence and (${differs})
      returning r.box_id
    )
    select box_id as "boxId", count(*)::int as count from changed group by box_id`;
}

/** How many rows of the trail and of the event feed were redacted for one box. */
export interface RedactedCounts {
  auditEvents: number;
  feedEvents: number;
}

/**
 * Redacts the audit trail and the event feed of boxes being purged, in the caller's transaction
 * (which must hold the trail's 'redact' permission). Answers the counts per box.
 */
export async function redactTrailOf(
  executor: Executor,
  boxes: readonly BoxToRedact[],
): Promise<Map<string, RedactedCounts>> {
  const counts = new Map<string, RedactedCounts>(boxes.map((box) => [box.id, { auditEvents: 0, feedEvents: 0 }]));
  if (boxes.length === 0) return counts;
  type Row = { boxId: string; count: number };
  for (const row of await selectRows<Row>(executor, redactionQuery(AUDIT_TABLE, boxes))) {
    const box = counts.get(row.boxId);
    if (box) box.auditEvents = row.count;
  }
  for (const row of await selectRows<Row>(executor, redactionQuery(FEED_TABLE, boxes))) {
    const box = counts.get(row.boxId);
    if (box) box.feedEvents = row.count;
  }
  return counts;
}
