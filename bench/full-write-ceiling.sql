-- The full-write ceiling of a loaduser import (issue 20), run by psql on a freshly migrated database:
-- everything a created box must leave behind, written set-based, with every index, constraint and
-- trigger of the real schema. For each row of the file: the box, its MSSanté address, one audit
-- event (the box as `after`, in the shape `mailboxAuditView` gives it; the import as cause) with
-- its event-feed row selected from it in the same statement (as platform/audit auditEventsInsert
-- does), and the row's outcome. The import process can do no better than this; it has more to do
-- (parse, validate every row before writing, plan each row against the database, checkpoints).
--
-- Standard input: the CSV of the parsed rows, as bench/loaduser.bench.ts writes it. psql variables:
-- structure_id, import_id, actor_id (the uploading key). \timing's sum is not used: the bench
-- times the whole psql run, COPY included.
\set ON_ERROR_STOP 1

-- The parsed rows as the import would stage them: one text column per cell it uses, plus the ids
-- and registration-token hashes the import makes in the process before writing.
create unlogged table ceiling_rows (
  row_number integer not null,
  id uuid not null,
  token_hash text not null,
  email text not null,
  last_name text not null,
  first_name text not null,
  last_name_key text not null,
  first_name_key text not null,
  civility text,
  profession text,
  profession_category text,
  rpps text,
  organisation_name text,
  service text,
  postal_code text,
  city text,
  phone text,
  paperless boolean,
  local_part text not null,
  domain text not null
);
-- psql's standard input is the CSV (psql does not expand variables in \copy).
\copy ceiling_rows from pstdin with (format csv)

begin;
-- As the import's batches (imports.repository relaxCommitDurability).
set local synchronous_commit = off;

insert into imports (id, structure_id, status, file_name, format, file_size, created_by, started_at)
values (:'import_id', :'structure_id', 'running', 'ceiling.csv', 'csv', 0, :'actor_id', now());

-- Addresses before their boxes, as the import writes them (migration 0014): each box's search terms are
-- then computed once, by its own insert, with its address.
set constraints mssante_addresses_mailbox_id_mailboxes_id_fk deferred;

insert into mssante_addresses (id, mailbox_id, structure_id, local_part, domain, address, is_test, assigned_at)
select gen_random_uuid(), id, :'structure_id', local_part, domain, local_part || '@' || domain, false, now()
from ceiling_rows;

insert into mailboxes (id, structure_id, type, email, email_key, status, last_name, first_name, last_name_key,
                       first_name_key, civility, profession, profession_category, rpps, organisation_name, service,
                       postal_code, city, phone, paperless, is_test, registration_token_hash, version,
                       created_at, updated_at)
select id, :'structure_id', 'PER', email, lower(email), 'preregistered', last_name, first_name, last_name_key,
       first_name_key, civility, profession, profession_category, rpps, organisation_name, service,
       postal_code, city, phone, paperless, false, token_hash, 1, now(), now()
from ceiling_rows;

-- The audit events and their feed rows, one statement, the `after` documents built in SQL.
with recorded as (
  insert into audit_events (id, occurred_at, actor_type, actor_id, request_id, action, target_type, target_id,
                            structure_id, mailbox_id, cause, before, after)
  select gen_random_uuid(), now(), 'api_key', :'actor_id', null, 'mailbox.created', 'mailbox', m.id::text,
         m.structure_id, m.id, jsonb_build_object('importId', :'import_id'::uuid), null,
         jsonb_build_object(
           'id', m.id, 'structureId', m.structure_id, 'type', m.type, 'email', m.email, 'status', m.status,
           'lastName', m.last_name, 'firstName', m.first_name, 'civility', m.civility, 'profession', m.profession,
           'professionCategory', m.profession_category, 'specialty', m.specialty, 'rpps', m.rpps, 'adeli', m.adeli,
           'service', m.service, 'organisationName', m.organisation_name, 'address', m.address,
           'postalCode', m.postal_code, 'city', m.city, 'phone', m.phone, 'mailboxPhone', m.mailbox_phone,
           'paperless', m.paperless, 'expiresAt', m.expires_at, 'isTest', m.is_test,
           'directoryVisible', coalesce(m.directory_visible, true), 'directoryVisibility', 'default',
           'responsible', m.responsible, 'description', m.description,
           'correspondence', jsonb_build_object('localPart', a.local_part, 'domain', a.domain, 'address', a.address,
                                                'isTest', a.is_test, 'assignedAt', a.assigned_at),
           'lastActivityAt', m.last_activity_at, 'createdAt', m.created_at, 'updatedAt', m.updated_at,
           'delegates', '[]'::jsonb, 'connectionAccounts', '[]'::jsonb)
  from ceiling_rows r
  join mailboxes m on m.id = r.id
  join mssante_addresses a on a.mailbox_id = r.id and a.withdrawn_at is null
  order by r.row_number
  returning *
)
insert into events (type, occurred_at, structure_id, subject_type, subject_id, mailbox_id,
                    actor_type, actor_id, request_id, cause, data)
select action, occurred_at, structure_id, target_type, target_id, mailbox_id,
       actor_type, actor_id, request_id, cause, after
from recorded order by sequence;

insert into import_rows (import_id, row_number, email, outcome, mailbox_id, errors, warnings)
select :'import_id', row_number, email, 'created', id, '[]', '[]'
from ceiling_rows;

commit;

select (select count(*) from mailboxes) as boxes, (select count(*) from mssante_addresses) as addresses,
       (select count(*) from audit_events) as audit_events, (select count(*) from events) as events,
       (select count(*) from import_rows) as row_outcomes;
