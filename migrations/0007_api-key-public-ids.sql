-- Data only. An API key's `prefix` was the first 10 characters of its secret: for a
-- bootstrap key, whose secret a person chose, that is a real hint. Every key gets a random public
-- id instead (`kid_` and 12 hex digits: the first 12 digits of a v4 UUID are all random). Keys
-- are looked up by their secret's hash only, so authentication is unchanged.
UPDATE "api_keys"
   SET "prefix" = 'kid_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)
 WHERE "prefix" !~ '^kid_[0-9a-f]{12}$';--> statement-breakpoint
-- The idempotency record of a POST /v1/api-keys kept the answer with the secret in clear. Rows
-- are scrubbed rather than deleted: a retry with the same Idempotency-Key must still replay the
-- creation (deleting would create a second key). The replay loses `key`, says so in
-- `Idempotent-Redacted`, and shows the new public id. The CASE guards the cast: only bodies that
-- hold a key's secret are read as JSON.
UPDATE "idempotency_keys" AS i
   SET "response_body" = ((i."response_body"::jsonb - 'key') || jsonb_build_object('prefix', k."prefix"))::text,
       "response_headers" = coalesce(i."response_headers", '{}'::jsonb) || '{"idempotent-redacted": "key"}'::jsonb
  FROM "api_keys" AS k
 WHERE i."status_code" = 201
   AND (CASE WHEN i."response_body" LIKE '{%"key":"blk\_%' THEN i."response_body"::jsonb ->> 'id' END) = k."id"::text;--> statement-breakpoint
-- The audit trail copied the old prefix into each key event's before/after: the label is replaced
-- there too, so no secret characters stay at rest (the events themselves are untouched).
UPDATE "audit_events" AS e
   SET "before" = CASE WHEN e."before" ? 'prefix' THEN jsonb_set(e."before", '{prefix}', to_jsonb(k."prefix")) ELSE e."before" END,
       "after" = CASE WHEN e."after" ? 'prefix' THEN jsonb_set(e."after", '{prefix}', to_jsonb(k."prefix")) ELSE e."after" END
  FROM "api_keys" AS k
 WHERE e."target_type" = 'api_key' AND e."target_id" = k."id"::text;
