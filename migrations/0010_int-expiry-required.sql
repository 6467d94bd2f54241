-- A structure may require an expiry date on its INT boxes, which the deck calls temporary; off by default, so existing structures keep accepting them (they are warned about instead).
ALTER TABLE "structures" ADD COLUMN "int_expiry_required" boolean DEFAULT false NOT NULL;
