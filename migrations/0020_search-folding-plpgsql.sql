-- The folding of a typed search (0011), unchanged in what it returns, now in plpgsql.
-- -- why: as SQL functions, neither could be inlined (each reads a sub-select), so PostgreSQL
-- planned its body again on every call: about 0.2 ms each, and a search calls them three times,
-- a fifth of a common word's whole search (EXPLAIN ANALYZE, bench/RESULTS.md). plpgsql keeps
-- the plan of each statement for the session. `balise_search_words` stays a SQL function: the
-- search-terms triggers call it for every field written, where its plan is already kept per call.
create or replace function balise_search_query(q text) returns tsquery
  language plpgsql stable parallel safe
as $$
declare
  words constant text[] := balise_search_words(q);
begin
  return case cardinality(words)
           when 0 then null
           when 1 then (words[1] || ':*')::tsquery
           else ('(' || array_to_string(array(select word || ':*' from unnest(words) word), ' & ') || ') | '
                 || array_to_string(words, '') || ':*')::tsquery
         end;
end
$$;
--> statement-breakpoint

create or replace function balise_search_whole_words(q text) returns tsquery[]
  language plpgsql stable parallel safe
as $$
declare
  words constant text[] := balise_search_words(q);
begin
  return array(
    select word::tsquery from unnest(words) word
    union all
    select array_to_string(words, '')::tsquery where cardinality(words) > 1
  );
end
$$;
