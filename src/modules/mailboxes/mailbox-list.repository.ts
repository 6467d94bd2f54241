import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/database';
import { preparedPerHandleAndShape } from '../../db/prepared-statements';
import { mailboxes, mssanteAddresses } from '../../db/schema';
import { prefixRange, toTextArrayLiteral } from '../../shared/prefix-range';
import type { MailboxStatus, MailboxType } from '../../domain/mailbox-vocabulary';
import { activeAddressJoin, type MailboxRecord } from './mailboxes.repository';
import type { MailboxSort } from './mailboxes.schemas';

export interface MailboxListFilters {
  visibleStructureIds: readonly string[] | undefined;
  structureId?: string;
  status?: MailboxStatus;
  type?: MailboxType;
  /** Already normalised words of the search. */
  searchWords: string[];
  sort: MailboxSort;
  after: (string | number | null)[] | undefined;
  limit: number;
}

/** The columns each sort orders by, the last always the id so the order is total. */
export function sortColumnsOf(sort: MailboxSort) {
  const name = sort.replace(/^-/, '');
  const columns =
    name === 'email'
      ? [mailboxes.emailKey, mailboxes.id]
      : name === 'createdAt'
        ? [mailboxes.createdAt, mailboxes.id]
        : [mailboxes.lastNameKey, mailboxes.firstNameKey, mailboxes.id];
  return { columns, descending: sort.startsWith('-') };
}

/**
 * Everything that changes the text of the list statement. Values never do: they are placeholders,
 * so each shape is built and prepared once per connection instead of on every request.
 */
interface ListShape {
  sort: MailboxSort;
  isScoped: boolean;
  hasStructure: boolean;
  hasStatus: boolean;
  hasType: boolean;
  hasCursor: boolean;
  isSearch: boolean;
  isMultiWord: boolean;
  isNumeric: boolean;
}

function shapeOf(filters: MailboxListFilters): ListShape {
  return {
    sort: filters.sort,
    isScoped: filters.visibleStructureIds !== undefined,
    hasStructure: filters.structureId !== undefined,
    hasStatus: filters.status !== undefined,
    hasType: filters.type !== undefined,
    hasCursor: filters.after !== undefined,
    isSearch: filters.searchWords.length > 0,
    isMultiWord: filters.searchWords.length > 1,
    isNumeric: filters.searchWords.length === 1 && /^\d+$/.test(filters.searchWords[0]!),
  };
}

const placeholder = (name: string) => sql.placeholder(name);

/**
 * The first word as a range, `from <= key < to`: unlike `like $1`, a range can use its index
 * whatever plan PostgreSQL keeps for the statement. The name and e-mail keys are `COLLATE "C"`
 * (plain comparisons are byte-wise); the address, RPPS and ADELI indexes are `text_pattern_ops`,
 * whose byte-wise operators are `~>=~` and `~<~`.
 */
function beginsWithFirstWord(column: AnyPgColumn, patternOps = false): SQL {
  const [from, to] = patternOps ? [sql.raw('~>=~'), sql.raw('~<~')] : [sql.raw('>='), sql.raw('<')];
  return sql`(${column} ${from} ${placeholder('from')} and ${column} ${to} ${placeholder('to')})`;
}

/** Every word (ranges in two array parameters, so one statement serves any number of words) begins the last or the first name. */
const everyWordBeginsAName = sql`not exists (select from unnest(${placeholder('froms')}::text[], ${placeholder('tos')}::text[]) as word("from", "to")
  where not ((${mailboxes.lastNameKey} >= word."from" and ${mailboxes.lastNameKey} < word."to")
          or (${mailboxes.firstNameKey} >= word."from" and ${mailboxes.firstNameKey} < word."to")))`;

/**
 * What a search matches, one branch per index: e-mail, MSSanté address, RPPS and ADELI (begun by
 * the whole query, one word), and names, where every word must begin the last or the first name
 * ("dupont je" finds Jean Dupont): the first word begins one of the two, so two branches, each on
 * its name's index, cover it. Each branch is ordered and limited on its own so that PostgreSQL
 * plans it on its own index (an OR over all of them defeats the planner's estimates).
 */
function searchBranches(shape: ListShape): { condition: SQL; viaAddress: boolean }[] {
  const otherWords = shape.isMultiWord ? sql` and ${everyWordBeginsAName}` : sql``;
  const branches = [
    { condition: sql`${beginsWithFirstWord(mailboxes.lastNameKey)}${otherWords}`, viaAddress: false },
    { condition: sql`${beginsWithFirstWord(mailboxes.firstNameKey)}${otherWords}`, viaAddress: false },
  ];
  // E-mails and addresses hold no space: a query of several words cannot begin one.
  if (!shape.isMultiWord) {
    branches.push(
      { condition: beginsWithFirstWord(mailboxes.emailKey), viaAddress: false },
      {
        condition: sql`${beginsWithFirstWord(mssanteAddresses.address, true)} and ${mssanteAddresses.withdrawnAt} is null`,
        viaAddress: true,
      },
    );
  }
  if (shape.isNumeric) {
    branches.push(
      { condition: beginsWithFirstWord(mailboxes.rpps, true), viaAddress: false },
      { condition: beginsWithFirstWord(mailboxes.adeli, true), viaAddress: false },
    );
  }
  return branches;
}

function afterCursorCondition(
  shape: ListShape,
  columns: ReturnType<typeof sortColumnsOf>['columns'],
  descending: boolean,
) {
  if (!shape.hasCursor) return undefined;
  const values = columns.map((column, index) =>
    column === mailboxes.createdAt
      ? sql`${placeholder(`after${index}`)}::timestamptz`
      : index === columns.length - 1
        ? sql`${placeholder(`after${index}`)}::uuid`
        : sql`${placeholder(`after${index}`)}`,
  );
  return sql`(${sql.join(columns, sql`, `)}) ${sql.raw(descending ? '<' : '>')} (${sql.join(values, sql`, `)})`;
}

function prepareList(db: Database, shape: ListShape, name: string) {
  const { columns, descending } = sortColumnsOf(shape.sort);
  const order = sql.join(
    columns.map((column) => sql`${column} ${sql.raw(descending ? 'desc' : 'asc')}`),
    sql`, `,
  );
  const common = and(
    // A literal array in one parameter: the statement's text does not depend on how many structures.
    shape.isScoped ? sql`${mailboxes.structureId} = any(${placeholder('visible')}::uuid[])` : undefined,
    shape.hasStructure ? eq(mailboxes.structureId, placeholder('structureId')) : undefined,
    // Deleted boxes only show when asked for.
    shape.hasStatus ? eq(mailboxes.status, placeholder('status')) : sql`${mailboxes.status} <> 'deleted'`,
    shape.hasType ? eq(mailboxes.type, placeholder('type')) : undefined,
    afterCursorCondition(shape, columns, descending),
  );
  const matches = () => {
    if (!shape.isSearch) return common;
    const branches = searchBranches(shape).map(
      ({
        condition,
        viaAddress,
      }) => sql`(select ${mailboxes.id} as id from ${viaAddress ? sql`${mssanteAddresses} join ${mailboxes} on ${mailboxes.id} = ${mssanteAddresses.mailboxId}` : mailboxes}
        where ${common} and ${condition} order by ${order} limit ${placeholder('limit')})`,
    );
    // The union's rows are at most (branches × page size): the outer query sorts them and keeps the page.
    return inArray(mailboxes.id, sql`(select id from (${sql.join(branches, sql` union all `)}) matches)`);
  };
  return db
    .select({ mailbox: mailboxes, address: mssanteAddresses })
    .from(mailboxes)
    .leftJoin(mssanteAddresses, activeAddressJoin)
    .where(matches())
    .orderBy(...columns.map((column) => (descending ? desc(column) : asc(column))))
    .limit(placeholder('limit'))
    .prepare(name);
}

// Lists and searches are hot paths: one prepared statement per shape and database handle.
const preparedListFor = preparedPerHandleAndShape(
  (db: Database, shape: ListShape, ordinal) => prepareList(db, shape, `list_mailboxes_${ordinal}`),
  (shape) => Object.values(shape).join(':'),
);

/** The page (and one more row, telling whether another page follows). */
export async function listMailboxes(db: Database, filters: MailboxListFilters): Promise<MailboxRecord[]> {
  const shape = shapeOf(filters);
  const values: Record<string, unknown> = {
    visible: `{${(filters.visibleStructureIds ?? []).join(',')}}`,
    structureId: filters.structureId,
    status: filters.status,
    type: filters.type,
    limit: filters.limit + 1,
  };
  filters.after?.forEach((value, index) => (values[`after${index}`] = value));
  const ranges = filters.searchWords.map(prefixRange);
  if (ranges[0]) Object.assign(values, ranges[0]);
  values.froms = toTextArrayLiteral(ranges.map((range) => range.from));
  values.tos = toTextArrayLiteral(ranges.map((range) => range.to));
  return preparedListFor(db, shape).execute(values);
}
