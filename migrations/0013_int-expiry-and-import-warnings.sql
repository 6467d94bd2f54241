-- INT boxes are temporary: a structure may require their expiry date (off by default, so existing structures keep
-- accepting them, warned about instead), and an import row records such warnings beside its errors.
ALTER TABLE "structures" ADD COLUMN "int_expiry_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "import_rows" ADD COLUMN "warnings" jsonb DEFAULT '[]'::jsonb NOT NULL;