import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { preparedPerHandleAndShape } from '../../db/prepared-statements';
import { mailboxes } from '../../db/schema';
import type { MailboxStatus, MailboxType } from '../../domain/mailbox-vocabulary';
import type { JsonText } from '../../shared/pagination';
import { listedView } from './mailbox-json';
import { searchPageIds, typedWordsOf, type TypedWords } from './mailbox-search-page';
import type { MailboxSort } from './mailboxes.schemas';

export interface MailboxListFilters {
  visibleStructureIds: readonly string[] | undefined;
  structureId?: string;
  status?: MailboxStatus;
  type?: MailboxType;
  /** What the administrator typed, as typed: the database folds it the way it folded the boxes' terms. */
  search: string | undefined;
  sort: MailboxSort;
  /** The previous page's last key: its rank first when searching, then its sort columns. */
  after: (string | number | null)[] | undefined;
  limit: number;
}

/**
 * A listed box: its view as JSON, and what its cursor is made of; `rank` (how many of the typed
 * words it holds whole) only in a search.
 */
export interface ListedMailbox {
  view: JsonText;
  id: string;
  emailKey: string;
  lastNameKey: string;
  firstNameKey: string;
  createdAt: Date;
  rank: number | null;
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
 * Page sizes written into the statement as constants; any other size is a parameter.
 * -- why: PostgreSQL switches a prepared statement to a generic plan (planned once) only when that
 * plan costs no more than the custom ones (planned on every run), and it costs a LIMIT it cannot
 * see at a tenth of the table. With the page size a parameter, the plain list was planned afresh
 * on every request, which took as long as running it (0.25 ms each, EXPLAIN ANALYZE). The usual
 * sizes, constant, get their generic plan after five runs; the set is fixed so that the statements
 * prepared on each connection stay few.
 */
const CONSTANT_PAGE_SIZES: ReadonlySet<number> = new Set([10, 20, 25, 50, 100]);

/**
 * Everything that changes the text of the list statement. Values never do: they are placeholders,
 * so each shape is built and prepared once per connection instead of on every request.
 */
interface ListShape {
  sort: MailboxSort;
  /** The rows read (a page and one more) when the page size is one of CONSTANT_PAGE_SIZES. */
  constantLimit: number | null;
  isScoped: boolean;
  hasStructure: boolean;
  hasStatus: boolean;
  hasType: boolean;
  hasCursor: boolean;
  /** A search, and how many words it was typed with (the statement differs); null for a plain list. */
  searchWords: TypedWords | null;
}

function shapeOf(filters: MailboxListFilters): ListShape {
  return {
    sort: filters.sort,
    constantLimit: CONSTANT_PAGE_SIZES.has(filters.limit) ? filters.limit + 1 : null,
    isScoped: filters.visibleStructureIds !== undefined,
    hasStructure: filters.structureId !== undefined,
    hasStatus: filters.status !== undefined,
    hasType: filters.type !== undefined,
    hasCursor: filters.after !== undefined,
    searchWords: filters.search === undefined ? null : typedWordsOf(filters.search),
  };
}

const placeholder = (name: string) => sql.placeholder(name);

/** The cursor's sort key as placeholders (a search's after its rank, one place further). */
function afterKeyValues(shape: ListShape, columns: ReturnType<typeof sortColumnsOf>['columns']) {
  const offset = shape.searchWords === null ? 0 : 1;
  return columns.map((column, index) => {
    const value = placeholder(`after${index + offset}`);
    return column === mailboxes.createdAt
      ? sql`${value}::timestamptz`
      : index === columns.length - 1
        ? sql`${value}::uuid`
        : sql`${value}`;
  });
}

/**
 * The page's ids and their rank: a plain list reads them along the sort (rank null); a search, see
 * searchPageIds (rank: how many of the typed words the box holds whole, a word typed twice counted
 * once: "dupont" ranks Dupont before Dupontel).
 */
function pageIds(shape: ListShape) {
  const { columns, descending } = sortColumnsOf(shape.sort);
  const filters = and(
    // A literal array in one parameter: the statement's text does not depend on how many structures.
    shape.isScoped ? sql`${mailboxes.structureId} = any(${placeholder('visible')}::uuid[])` : undefined,
    shape.hasStructure ? eq(mailboxes.structureId, placeholder('structureId')) : undefined,
    // Deleted boxes only show when asked for.
    shape.hasStatus ? eq(mailboxes.status, placeholder('status')) : sql`${mailboxes.status} <> 'deleted'`,
    shape.hasType ? eq(mailboxes.type, placeholder('type')) : undefined,
  )!;
  const afterKey = shape.hasCursor ? afterKeyValues(shape, columns) : undefined;
  const limit = shape.constantLimit === null ? sql`${placeholder('limit')}` : sql.raw(String(shape.constantLimit));
  if (shape.searchWords !== null) {
    const after = afterKey && { rank: sql`${placeholder('after0')}::integer`, key: afterKey };
    return searchPageIds({ words: shape.searchWords, columns, descending, filters, after, limit });
  }
  const order = sql.join(
    columns.map((column) => sql`${column} ${sql.raw(descending ? 'desc' : 'asc')}`),
    sql`, `,
  );
  const afterInOrder = afterKey
    ? sql`and (${sql.join(columns, sql`, `)}) ${sql.raw(descending ? '<' : '>')} (${sql.join(afterKey, sql`, `)})`
    : sql``;
  return sql`(select ${mailboxes.id}, null::integer as rank from ${mailboxes} where ${filters} ${afterInOrder} order by ${order} limit ${limit})`;
}

function prepareList(db: Database, shape: ListShape, name: string) {
  const { columns, descending } = sortColumnsOf(shape.sort);
  const direction = sql.raw(descending ? 'desc' : 'asc');
  const pageRank = sql<number | null>`page.rank`;
  const order = sql.join(
    [
      ...(shape.searchWords === null ? [] : [sql`${pageRank} desc`]),
      ...columns.map((column) => sql`${column} ${direction}`),
    ],
    sql`, `,
  );
  // The page's ids first, then their boxes' views: read for one page, not for every match.
  return db
    .select({
      view: listedView,
      id: mailboxes.id,
      emailKey: mailboxes.emailKey,
      lastNameKey: mailboxes.lastNameKey,
      firstNameKey: mailboxes.firstNameKey,
      createdAt: mailboxes.createdAt,
      rank: pageRank,
    })
    .from(sql`${pageIds(shape)} page`)
    .innerJoin(mailboxes, sql`${mailboxes.id} = page.id`)
    .orderBy(order)
    .limit(placeholder('limit'))
    .prepare(name);
}

// Lists and searches are hot paths: one prepared statement per shape and database handle.
const preparedListFor = preparedPerHandleAndShape(
  (db: Database, shape: ListShape, ordinal) => prepareList(db, shape, `list_mailboxes_${ordinal}`),
  (shape) => Object.values(shape).join(':'),
);

/** The page (and one more row, telling whether another page follows). */
export async function listMailboxes(db: Database, filters: MailboxListFilters): Promise<ListedMailbox[]> {
  const values: Record<string, unknown> = {
    visible: `{${(filters.visibleStructureIds ?? []).join(',')}}`,
    structureId: filters.structureId,
    status: filters.status,
    type: filters.type,
    q: filters.search,
    limit: filters.limit + 1,
  };
  filters.after?.forEach((value, index) => (values[`after${index}`] = value));
  return preparedListFor(db, shapeOf(filters)).execute(values);
}
