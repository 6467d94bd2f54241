-- Uploads are read back in slices with substring(). A compressed value must be decompressed from
-- its start for every slice (quadratic in the file's size); stored uncompressed out of line, a
-- slice reads only the TOAST chunks it covers. CSV and XLSX compress poorly anyway (XLSX is zip).
ALTER TABLE "import_files" ALTER COLUMN "content" SET STORAGE EXTERNAL;
