ALTER TABLE "import_staged_rows" ADD COLUMN "unchanged_mailbox_id" uuid;--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD COLUMN "unchanged_box_version" integer;--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD COLUMN "unchanged_structure_version" integer;--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD COLUMN "unchanged_warnings" jsonb;