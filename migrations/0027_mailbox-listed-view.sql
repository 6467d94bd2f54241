-- Each box's public view (`Mailbox`) as JSON text, kept on the box by a trigger, for the list and the search.
-- -- why: written at read time, the views of a page cost PostgreSQL more than finding its boxes
-- (`to_json` and `to_char` on every field, the expression compiled again on every run, the active
-- address looked up per box): a plain list of 50 took 1.5 ms of its CPU per request, 0.6 with the
-- views stored, and each search shape 25-45 % less (A/B under load, issue 16).
-- The view is `mailboxJson` (src/modules/mailboxes/mailbox-json.ts) as drizzle renders it, the box's
-- columns read from `new` and the address's from `active`; `mailbox-json.test.ts` fails when the
-- two differ, so a field added to the contract takes a migration that replaces this function and
-- rewrites the views. Written here rather than as a SQL function of the two rows: called from the
-- trigger, such a function read each of its thirty fields out of the whole row again, and the
-- trigger cost a written box 0.58 ms instead of some tens of microseconds (2,000 boxes updated).
alter table "mailboxes" add column "listed_view" text;
--> statement-breakpoint

-- Any change of the box; its address's changes reach it through the address trigger of migration
-- `mailbox-search-terms`, which updates the box. A box being inserted may have its address already:
-- the import writes the addresses of a batch first (migration `address-fk-deferrable`).
create function balise_mailboxes_listed_view_trigger() returns trigger
  language plpgsql
as $$
declare
  active mssante_addresses%rowtype;
begin
  select * into active from mssante_addresses where mailbox_id = new.id and withdrawn_at is null;
  new.listed_view := ('{"id":' || '"' || new."id" || '"' || ',"structureId":' || '"' || new."structure_id" || '"' || ',"type":' || '"' || new."type" || '"' || ',"email":' || to_json(new."email")::text || ',"status":' || '"' || new."status" || '"' || ',"lastName":' || to_json(new."last_name")::text || ',"firstName":' || to_json(new."first_name")::text || ',"civility":' || coalesce(to_json(new."civility")::text, 'null') || ',"profession":' || coalesce(to_json(new."profession")::text, 'null') || ',"professionCategory":' || coalesce(to_json(new."profession_category")::text, 'null') || ',"specialty":' || coalesce(to_json(new."specialty")::text, 'null') || ',"rpps":' || coalesce(to_json(new."rpps")::text, 'null') || ',"adeli":' || coalesce(to_json(new."adeli")::text, 'null') || ',"service":' || coalesce(to_json(new."service")::text, 'null') || ',"organisationName":' || coalesce(to_json(new."organisation_name")::text, 'null') || ',"address":' || coalesce(to_json(new."address")::text, 'null') || ',"postalCode":' || coalesce(to_json(new."postal_code")::text, 'null') || ',"city":' || coalesce(to_json(new."city")::text, 'null') || ',"phone":' || coalesce(to_json(new."phone")::text, 'null') || ',"mailboxPhone":' || coalesce(to_json(new."mailbox_phone")::text, 'null') || ',"paperless":' || coalesce(new."paperless"::text, 'null') || ',"expiresAt":' || coalesce(to_json(new."expires_at")::text, 'null') || ',"isTest":' || new."is_test"::text || ',"directoryVisible":' || coalesce(new."directory_visible", new."status" = any(array['valid']::text[]))::text || ',"directoryVisibility":' || case when new."directory_visible" is null then '"default"' else '"explicit"' end || ',"responsible":' || coalesce(new."responsible"::text, 'null') || ',"description":' || coalesce(to_json(new."description")::text, 'null') || ',"correspondence":' || case when active."id" is null then 'null' else ('{"localPart":' || to_json(active."local_part")::text || ',"domain":' || to_json(active."domain")::text || ',"address":' || to_json(active."address")::text || ',"isTest":' || active."is_test"::text || ',"assignedAt":' || '"' || to_char(active."assigned_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || '}') end || ',"lastActivityAt":' || coalesce('"' || to_char(new."last_activity_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null') || ',"createdAt":' || '"' || to_char(new."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || ',"updatedAt":' || '"' || to_char(new."updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || '}');
  return new;
end
$$;
--> statement-breakpoint

create trigger mailboxes_listed_view
  before insert or update on mailboxes
  for each row execute function balise_mailboxes_listed_view_trigger();
--> statement-breakpoint

-- The boxes that exist: the trigger writes the view of each box updated.
update mailboxes set listed_view = null;
