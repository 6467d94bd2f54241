-- A search's rank (how many of the typed words, and their join, a box holds whole) as one
-- expression PostgreSQL inlines, and the whole words of a search without repeats.
-- -- why: the rank was a plpgsql loop, called for every box a search ranks: 298 calls for
-- `dupont marie` on the bench database, a quarter of that search's top tier (EXPLAIN ANALYZE), and
-- the page's 51 in every search. Inlined it is two tsvector lengths. `ts_delete` removes a
-- lexeme once however often it is listed, so the words are counted without repeats; the whole
-- words are now without repeats too ("marie marie" is {marie, mariemarie}), so that the rank, the
-- top tier (`balise_search_all_but_one`) and its bound (one less than the number of whole words)
-- keep counting the same thing. A search without repeated words ranks and tiers as before.
create function balise_search_whole_lexemes(q text) returns text[]
  language sql stable parallel safe
as $$
  select tsvector_to_array(array_to_tsvector(
    case when cardinality(balise_search_words(q)) > 1
         then balise_search_words(q) || array_to_string(balise_search_words(q), '')
         else balise_search_words(q)
    end))
$$;
--> statement-breakpoint

-- Replaced by the lexemes above, which the search casts to tsqueries where it matches with them.
drop function balise_search_whole_words(text);
--> statement-breakpoint

drop function balise_search_rank(tsvector, tsquery[]);
--> statement-breakpoint

create function balise_search_rank(terms tsvector, whole_lexemes text[]) returns integer
  language sql immutable parallel safe
as $$
  select length(terms) - length(ts_delete(terms, whole_lexemes))
$$;
