ALTER TABLE "jobs" ADD COLUMN "progress" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "progressed_in_attempt" integer;