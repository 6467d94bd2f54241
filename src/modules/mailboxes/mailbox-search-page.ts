import { sql, type SQL } from 'drizzle-orm';
import { mailboxes, searchTermShares } from '../../db/schema';
import type { sortColumnsOf } from './mailbox-list.repository';

/**
 * The ids of one page of a search (GET /v1/mailboxes?q=), in order: rank first (how many typed
 * words a box holds whole, highest first), then the requested sort.
 *
 * -- why not "rank every match, then sort": a common word ("marie": 7 % of the boxes) has
 * thousands of matches spread over half of the table's pages, and reading them all to rank them
 * was most of such a search's cost (bench/RESULTS.md). Instead, with L the page's rows:
 * 1. A probe reads at most PROBE × L matches through the GIN index. Fewer than that is every
 *    match: the page is ranked and sorted from them (rare words, an RPPS, an e-mail prefix,
 *    several words few boxes share).
 * 2. More, and one typed word: its rank has two tiers (the word whole, then only as a prefix),
 *    each read in the sort index's order and stopped at the page's end, walking at most WALK × L
 *    boxes. A tier the probe saw less than a page of, or that the walk did not fill (its boxes all
 *    late in the sort order: "martin" sorted by name), is read through the GIN index instead. The
 *    tiers are consecutive branches of a UNION ALL under the page's LIMIT: the second runs only
 *    when the first did not fill the page.
 * 3. More, and several words: every match ranked and sorted.
 * Before all three, a search of several words reads its top tier: the boxes holding every typed word
 * whole, or all but one and the words joined (a rank of at least the number of words), through exact
 * GIN entries (`balise_search_all_but_one`), which cost a fraction of the prefix probe ("dupont marie":
 * 0.37 ms against 2.1). When the tier fills the page it is the page, every other box ranking lower;
 * after a cursor, only while the cursor's own rank is in the tier. Otherwise the paths above.
 * Before the probe, a one-word search asks the table's statistics (pg_stats of search_terms, kept by
 * ANALYZE, as copied into `search_term_shares` by the job `mailboxes.refresh-search-statistics`):
 * a word held, whole or as a prefix, by a WALK-th of the boxes or more goes straight to the tiers,
 * each walked if its own share is that high; the probe (a GIN bitmap over every match) is then
 * never run. Statistics only choose the path: a wrong guess costs time, never a wrong page.
 * PostgreSQL cannot make these choices itself: the folded query is a parameter it cannot see when
 * planning, and even given it as a literal it would walk the name index for a frequent last name,
 * reading most of the table before the first match ("martin": 220 ms against 25 ms, EXPLAIN ANALYZE).
 * Every gate is a one-time filter on a sub-select: a path not taken is never run. The typed text is
 * folded once, in a materialized CTE: a STABLE function called in a condition runs again for every
 * row the condition is checked on, which once was most of a common word's search.
 */
export const PROBE = 10;
export const WALK = 40;

/**
 * How many words the database will fold the typed text into, guessed by the API so that each kind
 * of search has a statement of its own: one word reads the tiers and never the several-words top
 * tier, several words the other way round.
 * -- why: one statement holding every path cost PostgreSQL its set-up of some sixty plan nodes on
 * every search, most of them for the paths not taken (perf, bench/RESULTS.md). The guess folds as
 * the database does where it matters (accents, case, [a-z0-9] runs) and may still differ from it
 * ("cœur": the database's unaccent gives one word, this guess two): each statement then reads the
 * matches through the paths both shapes share (every match ranked), so a wrong guess costs time,
 * never a wrong page.
 */
export type TypedWords = 'one' | 'several';

export function typedWordsOf(q: string): TypedWords {
  const words =
    q
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? [];
  return words.length > 1 ? 'several' : 'one';
}

export interface SearchPageParts extends ReturnType<typeof sortColumnsOf> {
  /** The statement's kind (typedWordsOf). */
  words: TypedWords;
  /** The list's other conditions (scope, structure, status, type), on `mailboxes`. */
  filters: SQL;
  /** The cursor: its rank and its sort key as placeholders; undefined on the first page. */
  after: { rank: SQL; key: SQL[] } | undefined;
  /** The rows to return (the page and one more). */
  limit: SQL;
}

/**
 * The ids of the page with their rank, in no particular order: the caller orders them by rank, then
 * the requested sort. One statement per kind of search (TypedWords).
 */
export function searchPageIds({ words, ...page }: SearchPageParts): SQL {
  const parts = searchParts(page);
  return words === 'one' ? oneWordPage(parts) : severalWordsPage(parts);
}

/** What both kinds of search statement are made of: the sort key, the cursor, the folded query. */
function searchParts({ columns, descending, filters, after, limit }: Omit<SearchPageParts, 'words'>) {
  const direction = sql.raw(descending ? 'desc' : 'asc');
  const comparison = sql.raw(descending ? '<' : '>');
  const keyAfter = (key: SQL) => (after ? sql`(${key}) ${comparison} (${sql.join(after.key, sql`, `)})` : sql`true`);
  // The box's search terms, kept by the database itself (migration `mailbox-search-terms`: triggers on
  // the box and its MSSanté address) and left out of the drizzle schema so that no read carries them.
  // The folding functions are that migration's too: one folding of text for boxes and queries.
  const terms = sql`${mailboxes}.search_terms`;
  const query = (part: string) => sql`(select ${sql.raw(part)} from search_query)`;
  const q = sql.placeholder('q');
  const rowKey = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const rows = (factor: number) => sql`(${limit}::integer * ${sql.raw(String(factor))})`;
  // The sort key on the table (qualified) and on a sub-select's rows (by name); the id is always its last column.
  const tableKey = sql.join(columns, sql`, `);
  return {
    filters,
    after,
    limit,
    keyAfter,
    terms,
    query,
    rows,
    tableKey,
    rowKey,
    tableOrder: sql.join(
      columns.map((column) => sql`${column} ${direction}`),
      sql`, `,
    ),
    rowOrder: sql.join(
      columns.map((column) => sql`${sql.identifier(column.name)} ${direction}`),
      sql`, `,
    ),
    /** How many of the typed words a box holds whole. */
    rank: sql`balise_search_rank(${terms}, ${query('lexemes')})`,
    /** Past the cursor in the search's order: a lower rank, or the same rank and further in the sort. */
    afterRanked: (rankOf: SQL, key: SQL) =>
      after ? sql`(${rankOf} < ${after.rank} or (${rankOf} = ${after.rank} and ${keyAfter(key)}))` : sql`true`,
    // The typed text folded once. Materialized, as every CTE here: inlined, the folding functions would
    // run again for every row that reads them.
    typed: sql`typed as materialized (
      select balise_search_query(${q}) as match, balise_search_whole_lexemes(${q}) as lexemes,
             balise_search_words(${q}) as words
    )`,
    // The probe (at most PROBE × L matches, through the GIN index), and its matches ranked.
    probe: sql`candidates as materialized (
      select ${terms}, ${tableKey} from ${mailboxes}
       where ${filters} and ${terms} @@ ${query('match')} limit ${rows(PROBE)}
    ),
    ranked as (select balise_search_rank(search_terms, ${query('lexemes')}) as rank, ${rowKey} from candidates)`,
    probeCount: sql`(select count(*) from candidates)`,
    probeRows: rows(PROBE),
  };
}
type SearchParts = ReturnType<typeof searchParts>;

/** The probe's matches ranked and sorted: every match, when the probe read fewer than its bound. */
function rankedProbe({ rowKey, rowOrder, afterRanked, limit }: SearchParts, gate: SQL): SQL {
  return sql`(select id, rank from ranked where ${gate} and ${afterRanked(sql`rank`, rowKey)}
      order by rank desc, ${rowOrder} limit ${limit})`;
}

/** Every match ranked and sorted, through the GIN index: the path of last resort, slow for common words. */
function everyMatchRanked(
  { filters, terms, query, rank, afterRanked, tableKey, tableOrder, limit }: SearchParts,
  gate: SQL,
): SQL {
  return sql`(select ${mailboxes.id}, ${rank} as rank from ${mailboxes}
      where ${gate} and ${filters} and ${terms} @@ ${query('match')} and ${afterRanked(rank, tableKey)}
      order by ${rank} desc, ${tableOrder} limit ${limit})`;
}

/** One typed word: the probe, else the two tiers (the word whole, then only as a prefix) walked or read by GIN. */
function oneWordPage(parts: SearchParts): SQL {
  const { filters, after, limit, keyAfter, terms, query, rows, tableKey, tableOrder, rowOrder, probeCount } = parts;
  // A walk pays when a WALK-th of the boxes or more hold the tier's terms: it then fills the page within its bound.
  const walkShare = sql.raw(`${1 / WALK}`);
  // What the table's statistics say of the word, so that the probe is skipped when the walks will do.
  const frequent = sql`(select whole_share + prefix_share >= ${walkShare} from search_query)`;
  const probeOrStatistics = (statistics: SQL, probed: SQL) =>
    sql`(case when ${frequent} then ${statistics} else ${probed} end)`;

  /**
   * One tier (its boxes match `part` of the folded query, and all have rank `rank`), from the cursor's
   * key when `fromCursor`: the walk along the sort index when worth it and enough, else the GIN index.
   */
  const tier = (name: string, part: string, share: string, rank: 0 | 1, fromCursor: boolean, gate: SQL) => {
    const walk = sql.identifier(`walk_${name}`);
    const start = fromCursor ? keyAfter(tableKey) : sql`true`;
    const cte = sql`${walk} as materialized (
      select walked.id from (
        select ${terms}, ${tableKey} from ${mailboxes}
         where ${filters} and ${start} order by ${tableOrder} limit ${rows(WALK)}
      ) walked
      where ${probeOrStatistics(
        sql`(select ${sql.raw(share)} from search_query) >= ${walkShare}`,
        sql`(select count(*) from candidates where search_terms @@ ${query(part)}) >= ${limit}`,
      )}
        and walked.search_terms @@ ${query(part)}
      order by ${rowOrder} limit ${limit})`;
    const branch = sql`(select id, ${sql.raw(String(rank))} as rank from (
        (select id from ${walk} where (select count(*) from ${walk}) = ${limit})
        union all
        (select ${mailboxes.id} from ${mailboxes}
          where (select count(*) from ${walk}) < ${limit} and ${filters} and ${start} and ${terms} @@ ${query(part)}
          order by ${tableOrder} limit ${limit})
      ) ${sql.identifier(`tier_${name}`)} where ${gate})`;
    return { cte, branch };
  };
  // Which tiers a page reads: from the start on a first page; after a cursor, the rest of the cursor's tier then the lower one.
  const whole = 'whole[1]';
  const prefixOnly = 'match && !! whole[1]';
  const tiers = after
    ? [
        tier('whole', whole, 'whole_share', 1, false, sql`${after.rank} > 1`),
        tier('whole_after', whole, 'whole_share', 1, true, sql`${after.rank} = 1`),
        tier('prefix', prefixOnly, 'prefix_share', 0, false, sql`${after.rank} >= 1`),
        tier('prefix_after', prefixOnly, 'prefix_share', 0, true, sql`${after.rank} = 0`),
      ]
    : [
        tier('whole', whole, 'whole_share', 1, false, sql`true`),
        tier('prefix', prefixOnly, 'prefix_share', 0, false, sql`true`),
      ];
  const oneWord = sql`(select cardinality(whole) = 1 from search_query)`;

  return sql`(with ${parts.typed},
    search_query as materialized (
      -- The word whole as a tsquery matching only itself, and the shares of the boxes holding it (search_term_shares).
      select typed.match, typed.lexemes::tsquery[] as whole, typed.lexemes,
             coalesce(shares.whole_share, 0) as whole_share, coalesce(shares.prefix_share, 0) as prefix_share
        from typed
        left join lateral (
          select sum(shares.share) filter (where shares.term = typed.words[1]) as whole_share,
                 sum(shares.share) filter (where shares.term <> typed.words[1]) as prefix_share
            from ${searchTermShares} shares
           -- The terms beginning with the word: folded words are [a-z0-9], all of them before '~'.
           where cardinality(typed.words) = 1
             and shares.term >= (typed.words[1] collate "C") and shares.term < (typed.words[1] || '~' collate "C")
        ) shares on true
    ),
    ${parts.probe},
    ${sql.join(
      tiers.map(({ cte }) => cte),
      sql`, `,
    )}
    ${rankedProbe(parts, probeOrStatistics(sql`false`, sql`${probeCount} < ${parts.probeRows}`))}
    union all
    (select id, rank from (${sql.join(
      tiers.map(({ branch }) => branch),
      sql` union all `,
    )}) tiers
      where ${oneWord} and ${probeOrStatistics(sql`true`, sql`${probeCount} >= ${parts.probeRows}`)}
      limit ${limit})
    union all
    -- The database folded several words after all (TypedWords): every match ranked.
    ${everyMatchRanked(parts, sql`(select cardinality(whole) > 1 from search_query) and ${probeCount} >= ${parts.probeRows}`)}
  )`;
}

/**
 * Several typed words: the top tier when it fills the page (boxes holding every word whole, or all
 * but one and the words joined), else the probe, else every match ranked.
 */
function severalWordsPage(parts: SearchParts): SQL {
  const { filters, after, limit, terms, query, tableKey, tableOrder, afterRanked, probeCount } = parts;
  // The top tier's boxes rank n - 1 or n (n whole words): n exactly when they hold all of them,
  // which one match tells, cheaper than counting them (balise_search_rank) on every box of the tier.
  const topRank = sql`(select cardinality(whole) - 1 from search_query)`;
  const tierRank = sql`(${topRank} + (${terms} @@ ${query('every')})::integer)`;
  const topTier = sql`top_tier as materialized (
      select ${mailboxes.id}, ${tierRank} as rank from ${mailboxes}
       where (select cardinality(whole) > 1 from search_query) and ${after ? sql`${after.rank} >= ${topRank}` : sql`true`}
         and ${filters} and (${terms} @@ ${query('every_word')} or ${terms} @@ ${query('joined_and_all_but_one')})
         and ${afterRanked(tierRank, tableKey)}
       order by ${tierRank} desc, ${tableOrder} limit ${limit})`;
  const topTierFills = sql`(select count(*) from top_tier) = ${limit}`;

  return sql`(with ${parts.typed},
    search_query as materialized (
      -- The whole words as tsqueries each matching only itself, and all of them at once (folded words are [a-z0-9]).
      select typed.match, typed.lexemes::tsquery[] as whole, typed.lexemes,
             case when cardinality(typed.lexemes) > 1 then array_to_string(typed.lexemes, ' & ')::tsquery end as every,
             -- The top tier, all the whole words but one (balise_search_all_but_one of the words and the words
             -- joined), as two queries: every word, or the words joined and all of them but one. Two GIN scans,
             -- each driven by its own rarest word, cost less than one over the whole disjunction ("dupont
             -- marie": 0.46 ms against 0.79, EXPLAIN ANALYZE).
             case when cardinality(typed.words) > 1 then array_to_string(words.distinct_words, ' & ')::tsquery end as every_word,
             case when cardinality(typed.words) > 1 then
               case when cardinality(words.distinct_words) = 1 then words.joined::tsquery
                    else words.joined::tsquery && balise_search_all_but_one(words.distinct_words::tsquery[]) end
             end as joined_and_all_but_one
        from typed,
             lateral (select tsvector_to_array(array_to_tsvector(typed.words)) as distinct_words,
                             array_to_string(typed.words, '') as joined) words
    ),
    ${parts.probe},
    ${topTier}
    (select id, rank from top_tier where ${topTierFills})
    union all
    ${rankedProbe(parts, sql`not ${topTierFills} and ${probeCount} < ${parts.probeRows}`)}
    union all
    ${everyMatchRanked(parts, sql`not ${topTierFills} and ${probeCount} >= ${parts.probeRows}`)}
  )`;
}
