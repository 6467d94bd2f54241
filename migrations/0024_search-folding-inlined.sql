-- The folding of text for search (0011, 0020; the whole words: 0025), unchanged in what it returns (compared on 150,000
-- names, services and e-mails of the bench database, and the edge cases: null, empty, punctuation
-- only, ligatures, tsquery operators), now written as one expression each, without a sub-select.
-- -- why: PostgreSQL inlines a SQL function whose body is a single expression into the statement
-- that calls it, where it is planned once with the statement (the list's generic plan). Called
-- instead, each function set itself up again in every transaction: SQL functions parsed and
-- planned their bodies, plpgsql ran its interpreter; 0.17 ms of a search's 1.8 ms on one
-- connection, 15 % of PostgreSQL's CPU under the search benchmark's load (perf), for a fold that
-- costs 0.01 ms inlined. The search-terms triggers (plpgsql) inline `balise_search_words` too.
create or replace function balise_search_words(value text) returns text[]
  language sql stable parallel safe
as $$
  select array_remove(
    regexp_split_to_array(lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, '')) collate "C"), '[^a-z0-9]+'),
    '')
$$;
--> statement-breakpoint

-- The typed words each as a prefix, all of them; or the words joined, as a prefix.
create or replace function balise_search_query(q text) returns tsquery
  language sql stable parallel safe
as $$
  select (case cardinality(balise_search_words(q))
            when 0 then null
            when 1 then (balise_search_words(q))[1] || ':*'
            else '(' || array_to_string(balise_search_words(q), ':* & ') || ':*) | '
                 || array_to_string(balise_search_words(q), '') || ':*'
          end)::tsquery
$$;
