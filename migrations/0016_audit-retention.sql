CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" USING btree ("occurred_at");--> statement-breakpoint

-- why: the audit trail is append-only, and the database says so. Two changes are allowed, both
-- made by the lifecycle sweep and audited by it: redacting a purged box's personal data
-- ('redact': updates) and deleting events past BALISE_AUDIT_RETENTION_MONTHS ('prune': deletes).
-- The sweep announces which one with a transaction-local setting (set_config(..., true)), so the
-- permission ends with its transaction; any other UPDATE, DELETE or TRUNCATE is refused.
create function balise_audit_events_append_only() returns trigger
  language plpgsql
as $$
declare
  allowed text := coalesce(current_setting('balise.audit_trail_change', true), '');
begin
  if tg_op = 'UPDATE' and allowed = 'redact' then return new; end if;
  if tg_op = 'DELETE' and allowed = 'prune' then return old; end if;
  raise exception 'audit_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
--> statement-breakpoint

create trigger audit_events_append_only
  before update or delete on audit_events for each row execute function balise_audit_events_append_only();
--> statement-breakpoint

create trigger audit_events_no_truncate
  before truncate on audit_events for each statement execute function balise_audit_events_append_only();
--> statement-breakpoint

-- why: a purged box's personal data must leave the trail too, while who did what, when and to
-- which box stays. Walks a JSON document and replaces with '[purged]':
-- - in an object about a purged box (`whole`, or whose id, mailboxId or delegateMailboxId is one
--   of `box_ids`), the non-null value of each personal key (`personal_keys`; the key stays);
-- - anywhere, a string equal to one of the box's identifying values (`box_values`: e-mails,
--   MSSanté addresses, RPPS, ADELI), e.g. in another box's list of connection accounts.
create function balise_redact_personal(
  doc jsonb, personal_keys text[], box_ids text[], box_values text[], whole boolean
) returns jsonb
  language plpgsql immutable parallel safe
as $$
declare
  mine boolean;
  result jsonb;
begin
  case jsonb_typeof(doc)
    when 'object' then
      mine := whole
        or coalesce(doc ->> 'id' = any(box_ids), false)
        or coalesce(doc ->> 'mailboxId' = any(box_ids), false)
        or coalesce(doc ->> 'delegateMailboxId' = any(box_ids), false);
      select coalesce(jsonb_object_agg(key,
               case when mine and key = any(personal_keys) and jsonb_typeof(value) <> 'null'
                    then to_jsonb('[purged]'::text)
                    else balise_redact_personal(value, personal_keys, box_ids, box_values, mine) end),
             '{}'::jsonb)
        into result from jsonb_each(doc);
      return result;
    when 'array' then
      select coalesce(jsonb_agg(balise_redact_personal(value, personal_keys, box_ids, box_values, whole)
                                order by position), '[]'::jsonb)
        into result from jsonb_array_elements(doc) with ordinality as element(value, position);
      return result;
    when 'string' then
      if doc #>> '{}' = any(box_values) then return to_jsonb('[purged]'::text); end if;
      return doc;
    else
      return doc;
  end case;
end
$$;
