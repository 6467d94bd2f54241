-- why: "Afficher la dernière relance" shows who a reminder reached; the recipients are kept with the reminder.
CREATE TABLE "reminder_recipients" (
	"reminder_id" uuid NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"recipient" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reminder_recipients" ADD CONSTRAINT "reminder_recipients_reminder_id_reminders_id_fk" FOREIGN KEY ("reminder_id") REFERENCES "public"."reminders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_recipients" ADD CONSTRAINT "reminder_recipients_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reminder_recipients_page_idx" ON "reminder_recipients" USING btree ("reminder_id","recipient","mailbox_id");--> statement-breakpoint
CREATE INDEX "reminder_recipients_mailbox_idx" ON "reminder_recipients" USING btree ("mailbox_id");