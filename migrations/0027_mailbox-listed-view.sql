-- Each box's public view (`Mailbox`) as JSON text, kept on the box by triggers, for the list and the search.
-- -- why: written at read time, the views of a page cost PostgreSQL more than finding its boxes
-- (`to_json` and `to_char` on every field, the expression compiled again on every run, the active
-- address looked up per box): a plain list of 50 took 1.5 ms of its CPU per request, 0.6 with the
-- views stored, and each search shape 25-45 % less (A/B under load, issue 16). Written when the box
-- or its address changes, a view costs a write some microseconds.
-- The function's body is `mailboxJson` (src/modules/mailboxes/mailbox-json.ts) as drizzle renders it,
-- its arguments named as the tables it reads; `mailbox-json.test.ts` fails when the two differ.
-- A field added to the contract takes a migration that replaces this function and rewrites the views.
create function balise_mailbox_listed_view(mailboxes mailboxes, mssante_addresses mssante_addresses) returns text
  language sql stable parallel safe
as $$
select ('{"id":' || '"' || "mailboxes"."id" || '"' || ',"structureId":' || '"' || "mailboxes"."structure_id" || '"' || ',"type":' || '"' || "mailboxes"."type" || '"' || ',"email":' || to_json("mailboxes"."email")::text || ',"status":' || '"' || "mailboxes"."status" || '"' || ',"lastName":' || to_json("mailboxes"."last_name")::text || ',"firstName":' || to_json("mailboxes"."first_name")::text || ',"civility":' || coalesce(to_json("mailboxes"."civility")::text, 'null') || ',"profession":' || coalesce(to_json("mailboxes"."profession")::text, 'null') || ',"professionCategory":' || coalesce(to_json("mailboxes"."profession_category")::text, 'null') || ',"specialty":' || coalesce(to_json("mailboxes"."specialty")::text, 'null') || ',"rpps":' || coalesce(to_json("mailboxes"."rpps")::text, 'null') || ',"adeli":' || coalesce(to_json("mailboxes"."adeli")::text, 'null') || ',"service":' || coalesce(to_json("mailboxes"."service")::text, 'null') || ',"organisationName":' || coalesce(to_json("mailboxes"."organisation_name")::text, 'null') || ',"address":' || coalesce(to_json("mailboxes"."address")::text, 'null') || ',"postalCode":' || coalesce(to_json("mailboxes"."postal_code")::text, 'null') || ',"city":' || coalesce(to_json("mailboxes"."city")::text, 'null') || ',"phone":' || coalesce(to_json("mailboxes"."phone")::text, 'null') || ',"mailboxPhone":' || coalesce(to_json("mailboxes"."mailbox_phone")::text, 'null') || ',"paperless":' || coalesce("mailboxes"."paperless"::text, 'null') || ',"expiresAt":' || coalesce(to_json("mailboxes"."expires_at")::text, 'null') || ',"isTest":' || "mailboxes"."is_test"::text || ',"directoryVisible":' || coalesce("mailboxes"."directory_visible", "mailboxes"."status" = any(array['valid']::text[]))::text || ',"directoryVisibility":' || case when "mailboxes"."directory_visible" is null then '"default"' else '"explicit"' end || ',"responsible":' || coalesce("mailboxes"."responsible"::text, 'null') || ',"description":' || coalesce(to_json("mailboxes"."description")::text, 'null') || ',"correspondence":' || case when "mssante_addresses"."id" is null then 'null' else ('{"localPart":' || to_json("mssante_addresses"."local_part")::text || ',"domain":' || to_json("mssante_addresses"."domain")::text || ',"address":' || to_json("mssante_addresses"."address")::text || ',"isTest":' || "mssante_addresses"."is_test"::text || ',"assignedAt":' || '"' || to_char("mssante_addresses"."assigned_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || '}') end || ',"lastActivityAt":' || coalesce('"' || to_char("mailboxes"."last_activity_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null') || ',"createdAt":' || '"' || to_char("mailboxes"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || ',"updatedAt":' || '"' || to_char("mailboxes"."updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || '}')
$$;
--> statement-breakpoint

alter table "mailboxes" add column "listed_view" text;
--> statement-breakpoint

-- Any change of the box; its address's changes reach it through the address trigger of
-- migration `mailbox-search-terms`, which updates the box.
create function balise_mailboxes_listed_view_trigger() returns trigger
  language plpgsql
as $$
begin
  new.listed_view := balise_mailbox_listed_view(
    new,
    (select active from mssante_addresses active where active.mailbox_id = new.id and active.withdrawn_at is null));
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
