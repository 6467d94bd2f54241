-- The raw upload is no longer stored: the upload stages the professionals in a table of the
-- extraction's own (modules/reference/professionals.repository.ts). Uploads still waiting for their
-- load were stored the old way: they fail, and are to be uploaded again.
UPDATE "reference_extractions" SET "status" = 'failed', "error" = 'Stored by an earlier version: upload the file again'
 WHERE "status" IN ('queued', 'running');--> statement-breakpoint
DROP TABLE "reference_extraction_chunks" CASCADE;--> statement-breakpoint
-- reference_professionals becomes partitioned by extraction (drizzle cannot express it: the schema
-- keeps describing its columns and index, which are the same). A load indexes its staged table and
-- attaches it; superseded references are dropped whole instead of deleted row by row.
ALTER TABLE "reference_professionals" RENAME TO "reference_professionals_before_0003";--> statement-breakpoint
ALTER INDEX "reference_professionals_rpps_idx" RENAME TO "reference_professionals_before_0003_rpps_idx";--> statement-breakpoint
CREATE TABLE "reference_professionals" (
	"extraction_id" uuid NOT NULL,
	"rpps" text NOT NULL,
	"last_name" text NOT NULL,
	"first_name" text,
	"profession" text
) PARTITION BY LIST ("extraction_id");--> statement-breakpoint
CREATE INDEX "reference_professionals_rpps_idx" ON "reference_professionals" USING btree ("extraction_id","rpps");--> statement-breakpoint
-- The reference in force keeps its rows, in its extraction's partition named as the loader names
-- it; rows of other extractions (leftovers of failed or superseded loads) are not carried over.
DO $$
DECLARE
  loaded record;
BEGIN
  FOR loaded IN SELECT "id" FROM "reference_extractions" WHERE "status" = 'succeeded' LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "reference_professionals" FOR VALUES IN (%L)',
                   'reference_professionals_' || replace(loaded.id::text, '-', ''), loaded.id);
  END LOOP;
END
$$;--> statement-breakpoint
INSERT INTO "reference_professionals"
SELECT "extraction_id", "rpps", "last_name", "first_name", "profession" FROM "reference_professionals_before_0003"
 WHERE "extraction_id" IN (SELECT "id" FROM "reference_extractions" WHERE "status" = 'succeeded');--> statement-breakpoint
DROP TABLE "reference_professionals_before_0003";
