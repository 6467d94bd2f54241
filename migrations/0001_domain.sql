CREATE TABLE "connection_accounts" (
	"shared_mailbox_id" uuid NOT NULL,
	"account_mailbox_id" uuid NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"notify_on_receipt" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delegates" (
	"mailbox_id" uuid NOT NULL,
	"delegate_mailbox_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"structure_id" uuid NOT NULL,
	"current_email" text NOT NULL,
	"new_email" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"requested_by" text,
	"decided_by" text,
	"decided_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"type" text NOT NULL,
	"email" text NOT NULL,
	"email_key" text NOT NULL,
	"status" text NOT NULL,
	"former_status" text,
	"last_name" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name_key" text NOT NULL,
	"first_name_key" text NOT NULL,
	"civility" text,
	"profession" text,
	"profession_category" text,
	"specialty" text,
	"rpps" text,
	"adeli" text,
	"service" text,
	"organisation_name" text,
	"address" text,
	"postal_code" text,
	"city" text,
	"phone" text,
	"mailbox_phone" text,
	"paperless" boolean,
	"expires_at" date,
	"is_test" boolean DEFAULT false NOT NULL,
	"directory_visible" boolean,
	"responsible" jsonb,
	"description" text,
	"last_activity_at" timestamp (3) with time zone,
	"registration_token_hash" text,
	"registered_at" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"purged_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mssante_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"structure_id" uuid NOT NULL,
	"local_part" text NOT NULL,
	"domain" text NOT NULL,
	"address" text NOT NULL,
	"is_test" boolean DEFAULT false NOT NULL,
	"assigned_at" timestamp (3) with time zone NOT NULL,
	"withdrawn_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid,
	"mailbox_id" uuid,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"sent" integer NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" text
);
--> statement-breakpoint
CREATE TABLE "import_files" (
	"import_id" uuid PRIMARY KEY NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_rows" (
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"email" text,
	"outcome" text NOT NULL,
	"mailbox_id" uuid,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "import_rows_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"structure_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"file_size" integer NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"on_error" text DEFAULT 'abort' NOT NULL,
	"notify" boolean DEFAULT false NOT NULL,
	"directory_visible" boolean,
	"total_rows" integer,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"applied_through_row" integer DEFAULT 1 NOT NULL,
	"counts" jsonb DEFAULT '{"created":0,"updated":0,"unchanged":0,"failed":0}'::jsonb NOT NULL,
	"error" jsonb,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "reference_extractions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_file" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"loaded_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "reference_professionals" (
	"extraction_id" uuid NOT NULL,
	"rpps" text NOT NULL,
	"last_name" text NOT NULL,
	"first_name" text,
	"profession" text
);
--> statement-breakpoint
ALTER TABLE "connection_accounts" ADD CONSTRAINT "connection_accounts_shared_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("shared_mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_accounts" ADD CONSTRAINT "connection_accounts_account_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("account_mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegates" ADD CONSTRAINT "delegates_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegates" ADD CONSTRAINT "delegates_delegate_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("delegate_mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_change_requests" ADD CONSTRAINT "email_change_requests_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mssante_addresses" ADD CONSTRAINT "mssante_addresses_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "connection_accounts_pair_idx" ON "connection_accounts" USING btree ("shared_mailbox_id","account_mailbox_id");--> statement-breakpoint
CREATE UNIQUE INDEX "connection_accounts_one_default_idx" ON "connection_accounts" USING btree ("account_mailbox_id") WHERE "connection_accounts"."is_default";--> statement-breakpoint
CREATE INDEX "connection_accounts_account_idx" ON "connection_accounts" USING btree ("account_mailbox_id");--> statement-breakpoint
CREATE UNIQUE INDEX "delegates_pair_idx" ON "delegates" USING btree ("mailbox_id","delegate_mailbox_id");--> statement-breakpoint
CREATE INDEX "delegates_delegate_idx" ON "delegates" USING btree ("delegate_mailbox_id");--> statement-breakpoint
CREATE INDEX "email_change_requests_structure_idx" ON "email_change_requests" USING btree ("structure_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "email_change_requests_one_pending_idx" ON "email_change_requests" USING btree ("mailbox_id") WHERE "email_change_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_email_key_active_idx" ON "mailboxes" USING btree ("email_key") WHERE "mailboxes"."status" <> 'deleted';--> statement-breakpoint
CREATE INDEX "mailboxes_structure_status_idx" ON "mailboxes" USING btree ("structure_id","status");--> statement-breakpoint
CREATE INDEX "mailboxes_last_name_sort_idx" ON "mailboxes" USING btree ("last_name_key","first_name_key","id");--> statement-breakpoint
CREATE INDEX "mailboxes_email_sort_idx" ON "mailboxes" USING btree ("email_key","id");--> statement-breakpoint
CREATE INDEX "mailboxes_created_sort_idx" ON "mailboxes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "mailboxes_email_prefix_idx" ON "mailboxes" USING btree ("email_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mailboxes_last_name_prefix_idx" ON "mailboxes" USING btree ("last_name_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mailboxes_first_name_prefix_idx" ON "mailboxes" USING btree ("first_name_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mailboxes_rpps_idx" ON "mailboxes" USING btree ("rpps" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mailboxes_adeli_idx" ON "mailboxes" USING btree ("adeli" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_registration_token_idx" ON "mailboxes" USING btree ("registration_token_hash");--> statement-breakpoint
CREATE INDEX "mailboxes_expires_idx" ON "mailboxes" USING btree ("expires_at") WHERE "mailboxes"."status" not in ('deactivated', 'deleted');--> statement-breakpoint
CREATE INDEX "mailboxes_activity_idx" ON "mailboxes" USING btree ("last_activity_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mssante_addresses_active_idx" ON "mssante_addresses" USING btree ("address") WHERE "mssante_addresses"."withdrawn_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "mssante_addresses_one_active_per_mailbox_idx" ON "mssante_addresses" USING btree ("mailbox_id") WHERE "mssante_addresses"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "mssante_addresses_prefix_idx" ON "mssante_addresses" USING btree ("address" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mssante_addresses_structure_idx" ON "mssante_addresses" USING btree ("structure_id");--> statement-breakpoint
CREATE INDEX "mssante_addresses_withdrawn_idx" ON "mssante_addresses" USING btree ("withdrawn_at");--> statement-breakpoint
CREATE INDEX "notifications_structure_idx" ON "notifications" USING btree ("structure_id","created_at");--> statement-breakpoint
CREATE INDEX "reminders_structure_idx" ON "reminders" USING btree ("structure_id","at");--> statement-breakpoint
CREATE INDEX "import_rows_outcome_idx" ON "import_rows" USING btree ("import_id","outcome");--> statement-breakpoint
CREATE INDEX "imports_structure_idx" ON "imports" USING btree ("structure_id","created_at");--> statement-breakpoint
CREATE INDEX "reference_professionals_rpps_idx" ON "reference_professionals" USING btree ("extraction_id","rpps");