-- A set-based writer of new boxes (the import's batches) may give the addresses first and the boxes
-- after, in one transaction, with this check deferred to its commit (`set constraints … deferred`).
-- -- why: the search terms (0011) include a box's active address. Written box first, each address
-- then fires its trigger's UPDATE of the box: the terms computed twice and a second version of the
-- box row with all its index entries, which more than doubled the cost of creating a box with its
-- address (bench/RESULTS.md, full-write ceiling). Address first, the box's own insert trigger finds
-- it and the address trigger finds no box to update. Every other writer is unchanged: the
-- constraint stays immediate unless a transaction defers it.
ALTER TABLE "mssante_addresses" ALTER CONSTRAINT "mssante_addresses_mailbox_id_mailboxes_id_fk" DEFERRABLE INITIALLY IMMEDIATE;
