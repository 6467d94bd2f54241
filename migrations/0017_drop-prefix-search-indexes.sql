-- The btree indexes of the first search (prefix ranges over names, RPPS, ADELI and MSSanté addresses):
-- the search reads the search_terms GIN index and the sort indexes since migration 0011, and nothing
-- else looks these columns up alone (pg_stat_user_indexes: no scan after the search benchmark).
-- Every box write paid for them.
DROP INDEX "mailboxes_first_name_idx";--> statement-breakpoint
DROP INDEX "mailboxes_rpps_idx";--> statement-breakpoint
DROP INDEX "mailboxes_adeli_idx";--> statement-breakpoint
DROP INDEX "mssante_addresses_prefix_idx";