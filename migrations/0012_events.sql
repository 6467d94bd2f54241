CREATE TABLE "events" (
	"sequence" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"id" text GENERATED ALWAYS AS ('evt_' || lpad(to_hex(transaction_id::text::bigint), 16, '0') || lpad(to_hex(sequence), 16, '0')) STORED NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"structure_id" uuid,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"mailbox_id" uuid,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"request_id" text,
	"cause" jsonb,
	"data" jsonb
);
--> statement-breakpoint
CREATE INDEX "events_feed_idx" ON "events" USING btree ("transaction_id","sequence");--> statement-breakpoint
CREATE INDEX "events_structure_feed_idx" ON "events" USING btree ("structure_id","transaction_id","sequence");--> statement-breakpoint
CREATE INDEX "events_occurred_at_idx" ON "events" USING btree ("occurred_at");