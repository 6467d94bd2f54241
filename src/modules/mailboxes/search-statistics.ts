import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../../db/database';
import { searchTermShares } from '../../db/schema';

/**
 * Copies the table statistics of the boxes' search terms (the most common terms and the share of
 * boxes holding each, as the last ANALYZE of `mailboxes` found them) into `search_term_shares`,
 * in one transaction: a search reads the old copy or the new one, never half of each. Answers
 * how many terms it copied (none before the first ANALYZE).
 */
export async function refreshSearchTermShares(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.delete(searchTermShares);
    // pg_stats types its arrays `anyarray`: through text, they read as what they are.
    const [copied] = await selectRows<{ terms: number }>(
      tx,
      sql`with copied as (
            insert into ${searchTermShares} (term, share)
            select mce.term, mce.share
              from pg_stats stats,
                   unnest(stats.most_common_elems::text::text[], stats.most_common_elem_freqs) as mce(term, share)
             where stats.schemaname = current_schema() and stats.tablename = 'mailboxes'
               and stats.attname = 'search_terms' and mce.term is not null
            returning 1)
          select count(*)::integer as terms from copied`,
    );
    return copied!.terms;
  });
}
