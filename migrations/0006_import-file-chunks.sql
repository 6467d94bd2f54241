-- Uploads are stored in pieces of at most 1 MiB instead of one value: the upload is written piece by
-- piece as it is read from disk, and read back piece by piece, so no process ever holds a whole file.
CREATE TABLE "import_file_chunks" (
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "import_file_chunks_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
-- As import_files.content was (0004): out of line, uncompressed (CSV and XLSX compress poorly anyway).
ALTER TABLE "import_file_chunks" ALTER COLUMN "content" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Existing uploads, cut into the same pieces (an empty file becomes one empty piece).
INSERT INTO "import_file_chunks" ("import_id", "seq", "content")
SELECT f."import_id", piece.seq, substring(f."content" from piece.seq * 1048576 + 1 for 1048576)
  FROM "import_files" f,
       generate_series(0, greatest((length(f."content") - 1) / 1048576, 0)) AS piece(seq);--> statement-breakpoint
DROP TABLE "import_files" CASCADE;--> statement-breakpoint
ALTER TABLE "import_file_chunks" ADD CONSTRAINT "import_file_chunks_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;
