-- A search of several words (mailbox-search-page.ts) first looks for the boxes ranking highest: those
-- holding whole all the typed words, or all but one of them and the words joined, a rank of at least
-- the number of words. This function gives that as one tsquery of whole words (exact GIN entries,
-- no prefix): the boxes matching "at least all but one" of `whole_words`.
-- -- why: a prefix tsquery reads the posting lists of every term beginning with a word ("marie:*":
-- names, e-mails and joined runs, about 7,000 boxes on the bench database); exact entries read one
-- list each: 0.37 ms against 2.1 ms for `dupont marie` (EXPLAIN ANALYZE, bench/RESULTS.md).
create function balise_search_all_but_one(whole_words tsquery[]) returns tsquery
  language plpgsql immutable parallel safe
as $$
declare
  result tsquery;
  conjunction tsquery;
begin
  for skipped in 1 .. cardinality(whole_words) loop
    conjunction := null;
    for kept in 1 .. cardinality(whole_words) loop
      if kept <> skipped then
        conjunction := case when conjunction is null then whole_words[kept] else conjunction && whole_words[kept] end;
      end if;
    end loop;
    result := case when result is null then conjunction else result || conjunction end;
  end loop;
  return result;
end
$$;
