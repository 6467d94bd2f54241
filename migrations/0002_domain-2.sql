CREATE TABLE "import_staged_rows" (
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"fields" jsonb NOT NULL,
	CONSTRAINT "import_staged_rows_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "reference_extraction_chunks" (
	"extraction_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"content" text NOT NULL,
	CONSTRAINT "reference_extraction_chunks_extraction_id_position_pk" PRIMARY KEY("extraction_id","position")
);
--> statement-breakpoint
CREATE TABLE "directory_entries" (
	"address" text NOT NULL,
	"ans_type" text NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"structure_id" uuid NOT NULL,
	"entry" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"sequence" bigint NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"changed_at" timestamp (3) with time zone NOT NULL,
	"withdrawn_at" timestamp (3) with time zone,
	CONSTRAINT "directory_entries_address_ans_type_pk" PRIMARY KEY("address","ans_type")
);
--> statement-breakpoint
CREATE TABLE "directory_feed_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_sequence" bigint DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp (3) with time zone,
	"published_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX "mailboxes_email_prefix_idx";--> statement-breakpoint
DROP INDEX "mailboxes_last_name_prefix_idx";--> statement-breakpoint
DROP INDEX "mailboxes_first_name_prefix_idx";--> statement-breakpoint
ALTER TABLE "mailboxes" ALTER COLUMN "email_key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "mailboxes" ALTER COLUMN "last_name_key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "mailboxes" ALTER COLUMN "first_name_key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "structures" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "restored_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "reference_extractions" ADD COLUMN "file_size" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reference_extractions" ADD COLUMN "lines_read" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reference_extractions" ADD COLUMN "malformed_lines" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reference_extractions" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "reference_extractions" ADD COLUMN "started_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD CONSTRAINT "import_staged_rows_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_extraction_chunks" ADD CONSTRAINT "reference_extraction_chunks_extraction_id_reference_extractions_id_fk" FOREIGN KEY ("extraction_id") REFERENCES "public"."reference_extractions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_entries_sequence_idx" ON "directory_entries" USING btree ("sequence");--> statement-breakpoint
CREATE INDEX "directory_entries_structure_sequence_idx" ON "directory_entries" USING btree ("structure_id","sequence");--> statement-breakpoint
CREATE INDEX "directory_entries_changed_idx" ON "directory_entries" USING btree ("changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "email_change_requests_pending_new_email_idx" ON "email_change_requests" USING btree (lower("new_email")) WHERE "email_change_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "mailboxes_structure_name_sort_idx" ON "mailboxes" USING btree ("structure_id","last_name_key","first_name_key","id");--> statement-breakpoint
CREATE INDEX "mailboxes_first_name_idx" ON "mailboxes" USING btree ("first_name_key");--> statement-breakpoint
CREATE INDEX "mailboxes_structure_id_idx" ON "mailboxes" USING btree ("structure_id","id");