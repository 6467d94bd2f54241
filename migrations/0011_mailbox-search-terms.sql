-- The mailbox search (GET /v1/mailboxes?q=): every box carries the terms an administrator may type
-- to find it, as a tsvector behind a GIN index, and queries are prefix tsqueries (`word:*`).
-- -- why a trigger-maintained column, not a generated one: unaccent() is only STABLE (its rules file
-- could change), so a generated column or an expression index would need a wrapper that pretends
-- to be IMMUTABLE; and one of the fields (the active MSSanté address) lives in another table,
-- which no generated column can read. Triggers on both tables keep the column right whatever
-- writes the row (API, import, COPY, type change, restore, purge, e-mail change), and nothing
-- pretends. The column is not in the drizzle schema: reads never carry it.
create extension if not exists unaccent schema public;
--> statement-breakpoint

-- The words of a text, in order: lower-case ASCII letters and digits, accents folded ("Œ" → "oe",
-- "ß" → "ss"); lower() under "C" so that the result never depends on the server's locale.
-- Anything else (spaces, hyphens, apostrophes, "@", ".") separates words.
create function balise_search_words(value text) returns text[]
  language sql stable parallel safe
as $$
  select array(
    select word
      from unnest(regexp_split_to_array(lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, '')) collate "C"), '[^a-z0-9]+')) word
     where word <> '')
$$;
--> statement-breakpoint

-- One field's terms: its words, and each run of two or three consecutive words joined, so that
-- what is written apart is found typed together ("O'Connor" as "oconnor", "Le Gall" as "legall").
-- Runs stop at three words: enough for a name, bounded for a long description. plpgsql: a loop
-- costs a sixteenth of the same in one SQL statement (measured), and this runs for every field of
-- every box written.
create function balise_field_terms(value text) returns text[]
  language plpgsql stable parallel safe
as $$
declare
  words constant text[] := balise_search_words(value);
  terms text[] := words;
begin
  for i in 1 .. cardinality(words) - 1 loop
    terms := terms || (words[i] || words[i + 1]);
    if i + 2 <= cardinality(words) then
      terms := terms || (words[i] || words[i + 1] || words[i + 2]);
    end if;
  end loop;
  return terms;
end
$$;
--> statement-breakpoint

create function balise_mailbox_search_terms(
  last_name text, first_name text, service text, organisation_name text, description text,
  email text, rpps text, adeli text, mssante_address text
) returns tsvector
  language sql stable parallel safe
as $$
  select array_to_tsvector(
    balise_field_terms(last_name) || balise_field_terms(first_name) || balise_field_terms(service)
    || balise_field_terms(organisation_name) || balise_field_terms(description) || balise_field_terms(email)
    || balise_field_terms(rpps) || balise_field_terms(adeli) || balise_field_terms(mssante_address)
  )
$$;
--> statement-breakpoint

-- What `q` matches: every word begins a term, or (typed apart, written together: "le gall" for
-- "Legall") the words joined begin one. null when `q` holds no letter or digit: nothing matches.
create function balise_search_query(q text) returns tsquery
  language sql stable parallel safe
as $$
  select case cardinality(words)
           when 0 then null
           when 1 then (words[1] || ':*')::tsquery
           else ('(' || array_to_string(array(select word || ':*' from unnest(words) word), ' & ') || ') | '
                 || array_to_string(words, '') || ':*')::tsquery
         end
    from (select balise_search_words(q) as words) typed
$$;
--> statement-breakpoint

-- The whole words of `q` (and, for several, their join), each as a tsquery matching only itself:
-- a box's rank is how many of them it holds whole.
create function balise_search_whole_words(q text) returns tsquery[]
  language sql stable parallel safe
as $$
  select array(
    select word::tsquery from unnest(words) word
    union all
    select array_to_string(words, '')::tsquery where cardinality(words) > 1
  )
    from (select balise_search_words(q) as words) typed
$$;
--> statement-breakpoint

-- plpgsql for the same reason: it runs for every box a search finds.
create function balise_search_rank(terms tsvector, whole_words tsquery[]) returns integer
  language plpgsql immutable parallel safe
as $$
declare
  word tsquery;
  rank integer := 0;
begin
  foreach word in array whole_words loop
    if terms @@ word then
      rank := rank + 1;
    end if;
  end loop;
  return rank;
end
$$;
--> statement-breakpoint

alter table "mailboxes" add column "search_terms" tsvector;
--> statement-breakpoint

create function balise_active_mssante_address(box_id uuid) returns text
  language sql stable parallel safe
as $$
  select address from mssante_addresses where mailbox_id = box_id and withdrawn_at is null
$$;
--> statement-breakpoint

create function balise_mailboxes_search_terms_trigger() returns trigger
  language plpgsql
as $$
begin
  new.search_terms := balise_mailbox_search_terms(
    new.last_name, new.first_name, new.service, new.organisation_name, new.description,
    new.email, new.rpps, new.adeli, balise_active_mssante_address(new.id));
  return new;
end
$$;
--> statement-breakpoint

-- Only the searched columns: an update of anything else (activity, status) leaves the terms alone.
create trigger mailboxes_search_terms
  before insert or update of last_name, first_name, service, organisation_name, description, email, rpps, adeli
  on mailboxes for each row execute function balise_mailboxes_search_terms_trigger();
--> statement-breakpoint

-- An address assigned, changed or withdrawn: recompute its box's terms.
create function balise_mssante_addresses_search_terms_trigger() returns trigger
  language plpgsql
as $$
begin
  update mailboxes
     set search_terms = balise_mailbox_search_terms(
           last_name, first_name, service, organisation_name, description, email, rpps, adeli,
           balise_active_mssante_address(id))
   where id in (old.mailbox_id, new.mailbox_id);
  return null;
end
$$;
--> statement-breakpoint

create trigger mssante_addresses_search_terms
  after insert or update or delete on mssante_addresses
  for each row execute function balise_mssante_addresses_search_terms_trigger();
--> statement-breakpoint

-- Back-fill the boxes that exist, then index.
update mailboxes
   set search_terms = balise_mailbox_search_terms(
         last_name, first_name, service, organisation_name, description, email, rpps, adeli,
         balise_active_mssante_address(id));
--> statement-breakpoint

alter table "mailboxes" alter column "search_terms" set not null;
--> statement-breakpoint

create index "mailboxes_search_terms_idx" on "mailboxes" using gin ("search_terms");
