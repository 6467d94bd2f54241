-- why: people who administer (issue 18). Audit and events name such a person with actor_type 'person': that
-- column is text in audit_events and events (the list of actor types lives in the drizzle schema), so it needs no change.
CREATE TABLE "administrators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"national_id" text,
	"email" text,
	"is_operator" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "administrators_national_id_unique" UNIQUE("national_id"),
	CONSTRAINT "administrators_email_unique" UNIQUE("email"),
	CONSTRAINT "administrators_identified" CHECK ("administrators"."national_id" is not null or "administrators"."email" is not null)
);
--> statement-breakpoint
CREATE TABLE "structure_administrators" (
	"structure_id" uuid NOT NULL,
	"administrator_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "structure_administrators_structure_id_administrator_id_pk" PRIMARY KEY("structure_id","administrator_id")
);
--> statement-breakpoint
ALTER TABLE "structure_administrators" ADD CONSTRAINT "structure_administrators_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure_administrators" ADD CONSTRAINT "structure_administrators_administrator_id_administrators_id_fk" FOREIGN KEY ("administrator_id") REFERENCES "public"."administrators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "structure_administrators_person_idx" ON "structure_administrators" USING btree ("administrator_id");