/**
 * How much of a spreadsheet a read may take in, whatever the file claims: each limit stops the
 * read as soon as it is exceeded (nothing is read "to see"), so memory and time stay bounded.
 */
export interface SheetLimits {
  /** Non-empty data rows, header excluded. */
  readonly maxRows: number;
  /** Cells per row, empty ones included (a CSV's delimiters, an XLSX row's last column). */
  readonly maxColumns: number;
  /** Characters in one cell. */
  readonly maxCellCharacters: number;
  /** Bytes the parts of an XLSX archive inflate to, all together (counted, never taken from the zip's headers). */
  readonly maxUnpackedBytes: number;
  /** Entries of an XLSX's shared-string table. */
  readonly maxSharedStrings: number;
  /** Characters of all those shared strings together. */
  readonly maxSharedStringCharacters: number;
  /** Heap of the worker thread that parses the file: an unforeseen bomb ends the worker, not the process. */
  readonly readerMemoryMb: number;
  /**
   * Seconds the reader may work without handing over a row or asking for more of the file. Size
   * limits bound a read's work; this bounds what they cannot foresee (a parser stuck on a crafted
   * file), since a job's lease is renewed for as long as its process lives.
   */
  readonly readerIdleSeconds: number;
}

/**
 * The defaults, sized from the loaduser template (34 columns, A..AH) with a wide margin:
 * - 200,000 rows: an établissement's largest directory is a few tens of thousands of boxes;
 * - 256 columns: the template has 34; 256 is also the widest an .xls can be;
 * - 32,767 characters: Excel's own limit for a cell, so no file Excel wrote exceeds it;
 * - 512 MiB unpacked: 200,000 full rows take about 300 MB of worksheet XML plus their strings;
 * - 2,000,000 shared strings and 100 M characters: 200,000 rows of about ten distinct texts
 *   (e-mail, names, address…) of some fifty characters, held as strings by the reader; about
 *   200 MB at worst, within the reader's heap;
 * - 512 MB of reader heap: what the two limits above need, far below what would hurt the host;
 * - 120 s of reader silence: the longest a legitimate read goes quiet is while it reads two
 *   million shared strings before the first row, a few seconds on a loaded host.
 */
export const DEFAULT_SHEET_LIMITS: SheetLimits = {
  maxRows: 200_000,
  maxColumns: 256,
  maxCellCharacters: 32_767,
  maxUnpackedBytes: 512 * 1024 * 1024,
  maxSharedStrings: 2_000_000,
  maxSharedStringCharacters: 100_000_000,
  readerMemoryMb: 512,
  readerIdleSeconds: 120,
};

/** The environment variable that sets each limit, named in the problem when it is exceeded. */
export const SHEET_LIMIT_SETTINGS: Record<keyof SheetLimits, string> = {
  maxRows: 'BALISE_IMPORT_MAX_ROWS',
  maxColumns: 'BALISE_IMPORT_MAX_COLUMNS',
  maxCellCharacters: 'BALISE_IMPORT_MAX_CELL_CHARACTERS',
  maxUnpackedBytes: 'BALISE_IMPORT_MAX_UNPACKED_BYTES',
  maxSharedStrings: 'BALISE_IMPORT_MAX_SHARED_STRINGS',
  maxSharedStringCharacters: 'BALISE_IMPORT_MAX_SHARED_STRING_CHARACTERS',
  readerMemoryMb: 'BALISE_IMPORT_READER_MEMORY_MB',
  readerIdleSeconds: 'BALISE_IMPORT_READER_IDLE_SECONDS',
};
