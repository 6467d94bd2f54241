-- The two name-order indexes now carry what a search's walk reads (mailbox-search-page.ts): the
-- box's status, structure and type (the list's filters) and its search terms (0011). A walk along
-- the name order then answers from the index alone (an index-only scan) instead of visiting the
-- table for each box it passes: a common first name's search read 1,146 buffers, now 394, and ran
-- in 1.6 ms instead of 2.9 (EXPLAIN ANALYZE on the 100,000-box bench database, bench/RESULTS.md).
-- -- the cost: about 420 bytes per box in each index (the terms are most of it), written with
-- every box. Only the name order gets it: it is the console's default sort, and a walk in another
-- order still works, visiting the table. Not in the drizzle schema (as the terms column and its
-- GIN index): drizzle cannot declare INCLUDE, and this file is where both are defined.
DROP INDEX "mailboxes_last_name_sort_idx";
--> statement-breakpoint
CREATE INDEX "mailboxes_last_name_sort_idx" ON "mailboxes" USING btree ("last_name_key", "first_name_key", "id")
  INCLUDE ("status", "structure_id", "type", "search_terms");
--> statement-breakpoint
DROP INDEX "mailboxes_structure_name_sort_idx";
--> statement-breakpoint
CREATE INDEX "mailboxes_structure_name_sort_idx" ON "mailboxes" USING btree ("structure_id", "last_name_key", "first_name_key", "id")
  INCLUDE ("status", "type", "search_terms");
