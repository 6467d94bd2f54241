/** The import routes' contract descriptions: the decisions the API document leaves to us, in one place. */

export const TEMPLATE_DESCRIPTION = [
  'The loaduser template, version 2: the header row (columns A to AH). In xlsx, every column is formatted as text',
  '(RPPS, postal codes and phone numbers keep their digits) and a second sheet, "Notice", explains each column,',
  'the accepted values and what an empty cell means. In csv: `;`-separated, UTF-8 with a BOM, CRLF, as French Excel opens it.',
].join(' ');

export const IMPORT_DESCRIPTION = [
  'Multipart form: a `file` part (csv with `;` or `,`, UTF-8 with or without BOM or Windows-1252; xls; xlsx; the first sheet is read)',
  'and the optional fields of the request schema (`dryRun`, `onError`, `notify`, `directoryVisible`), sent as text (`true`/`false`);',
  'a field sent empty counts as absent. The format is detected from the bytes, not the name or the part type:',
  'anything else is a 415; a file over the upload limit (`BALISE_UPLOAD_MAX_BYTES`) a 413; a missing file part, an unknown field or a',
  'value the schema refuses a 400 naming the field.',
  'The file is stored and processed by a background job; the answer is `202` with the import (`Location: /v1/imports/{id}`): poll it.',
  'With an `Idempotency-Key`, a retry replays the first answer; the same key with an upload of another size is a 422 (the bytes are not compared).',
  '\n\nSemantics. Column A is the row key: an address held by a box of this structure updates that box; a new one creates a',
  'pre-registered box; an address held in another structure fails the row (`EMAIL_TAKEN`). An empty cell leaves the value as it is',
  "on an update (and unset on a creation). To clear a value, write `#VIDE` in its cell (trimmed, any case): on an update the box's",
  'value is cleared (AB/AH: every link removed; U or V: the whole responsible), audited like any change; on a creation it is an empty',
  'cell. `#VIDE` is refused (`CLEAR_REFUSED` on the cell) in the required columns A, B, C and S, in Q (write N) and in AC/AD: an import',
  "never removes an MSSanté address. An export writes a stored value equal to `#VIDE` as `'#VIDE`, read back as that text, so an export",
  "never clears on re-import. An import never changes a box's type",
  '(`TYPE_CHANGE_UNSUPPORTED`). A filled cell past column AH fails its row (`OUTSIDE_TEMPLATE`, header `(hors modèle)`), except the',
  "deleted-boxes export's own columns AI to AK under their headers; a column AH cell that is not `;`-separated addresses fails its",
  "row (`ADDRESS_LIST_INVALID`). Column AD empty means the current domain, or the structure's first for a new address. Columns AB",
  '(delegates) and AH (connection accounts), when filled, are the whole list (links not listed are removed); they name boxes of the',
  'structure or rows anywhere in the same file (above or below: the order of the rows does not change the outcome), and newly',
  'named ones follow the rules of the delegate and connection-account endpoints (same codes, e.g. `DELEGATE_INACTIVE`,',
  '`ACCOUNT_NOT_NOMINATIVE`; `*_UNKNOWN` when neither the structure nor the file holds the address, `*_ROW_FAILED` when its row failed). A row that would change nothing is `unchanged` and writes nothing',
  '(no new version, no audit event): re-importing an unchanged export changes nothing. Column R wins over the `directoryVisible` option,',
  'which applies to created boxes only. `notify` queues an invitation for each created MED, PER and INT box;',
  'an ORG or APP row is created without one (its reference address has no person to complete a registration) and counted',
  'in `invitations.skipped`. Columns AE to AG are ignored.',
  '\n\nProcessing. The file is read once, as a stream, and every row is validated first (the mailbox rules of the API, the',
  'correspondence rules, duplicates within the file, references, quotas). With `abort`, if any row fails, nothing is written and the',
  'import ends `failed` with a `ROWS_INVALID` error (only failed rows are listed). With `skip`, valid rows are written and failed ones',
  'reported. `dryRun` validates and reports the outcome each row would have, writing nothing. Rows are then applied in batches',
  '(`BALISE_IMPORT_BATCH_SIZE`, 500), each in one transaction with its audit events (cause `{ importId }`) and a checkpoint: an',
  'interrupted import resumes after the last committed batch, so no row is half-applied or applied twice. A row that became invalid',
  'between validation and its batch (a concurrent change) fails alone. A file-level problem (unreadable, truncated, outdated template)',
  'ends the import `failed` with a problem object in `error`, before any box is written.',
].join(' ');

export const ROWS_DESCRIPTION = [
  'In row order. `outcome` filters (`created`, `updated`, `unchanged`, `failed`). On a dry run the outcomes are what the import',
  'would do. Under `abort` with failing rows, only the failed rows are listed (nothing was applied). Each error names the row',
  '(header = 1), the column letter and header, a stable code and a message. `warnings`, in the same shape, says what an accepted',
  'row should still have: `INT_WITHOUT_EXPIRY` (column P) for an INT box without expiry date, which a structure with',
  '`intExpiryRequired` refuses instead (`EXPIRY_DATE_REQUIRED`).',
].join(' ');

export const REPORT_DESCRIPTION = [
  'The uploaded rows as they were read (columns A to AH, formulas neutralised), each followed by three columns: `Ligne` (its row',
  'number in the upload), `Résultat` (`créée`, `mise à jour`, `inchangée`, `erreur`, or `non appliquée` for a valid row of an',
  'import that wrote nothing) and `Erreurs` (one line per error: column, header, code, message; then the warnings, each line starting `Avertissement`). 409 while the import runs, or when',
  'the file itself could not be read. The upload is kept `BALISE_IMPORT_FILE_RETENTION_HOURS` (default 24) after the import',
  'ends, then the lifecycle sweep deletes it (`fileDeletedAt` on the import): from then on this answers 410',
  '`IMPORT_FILE_DELETED`, and the row results stay at `…/rows`.',
].join(' ');
