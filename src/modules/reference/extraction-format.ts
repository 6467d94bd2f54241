import type { ErrorDetail } from '../../platform/errors/error-catalogue';
import type { ReferenceProfessional } from './reference.repository';

/**
 * The ANS public `Extraction_Correspondance_MSSante` file: UTF-8, `|`-separated, 31 columns,
 * one header line (shared/domain/mssante.md). Only the columns the reference keeps are named.
 */
export const EXTRACTION_COLUMN_COUNT = 31;
export const EXTRACTION_SEPARATOR = '|';

const COLUMNS = {
  boxType: { index: 0, header: 'Type de BAL' },
  address: { index: 1, header: 'Adresse BAL' },
  personIdType: { index: 2, header: 'Type Identifiant PP' },
  personId: { index: 3, header: 'Identifiant PP' },
  lastName: { index: 9, header: "Nom d'exercice" },
  firstName: { index: 10, header: "Prénom d'exercice" },
  profession: { index: 13, header: 'Code Profession' },
} as const;

/** `Type Identifiant PP` 8: the `Identifiant PP` is an RPPS number. */
const RPPS_ID_TYPE = '8';
const RPPS_FORMAT = /^\d{11}$/;

const normaliseHeader = (text: string) =>
  text.normalize('NFC').replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

/** What is wrong with the header line (empty: it is the extraction's header). */
export function checkExtractionHeader(line: string): ErrorDetail[] {
  const cells = line.replace(/^\uFEFF/, '').replace(/\r$/, '').split(EXTRACTION_SEPARATOR);
  if (cells.length < EXTRACTION_COLUMN_COUNT) {
    return [{
      field: 'file', code: 'EXTRACTION_LAYOUT',
      message: `The header has ${cells.length} \`|\`-separated columns; the ANS extraction has ${EXTRACTION_COLUMN_COUNT}`,
    }];
  }
  return Object.values(COLUMNS)
    .filter((column) => normaliseHeader(cells[column.index] ?? '') !== normaliseHeader(column.header))
    .map((column) => ({
      field: 'file', code: 'EXTRACTION_HEADER',
      message: `Column ${column.index + 1} should be "${column.header}", found "${(cells[column.index] ?? '').slice(0, 60)}"`,
    }));
}

const blankToNull = (text: string) => {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
};

/** Where each separator of a line is; reused from line to line (500,000 lines, no allocation). */
const separators = new Int32Array(EXTRACTION_COLUMN_COUNT);

/**
 * One data line: a professional (a box held under an RPPS, with an exercise name), `skip` for
 * lines the reference does not keep (ORG boxes, ADELI holders), `malformed` for a line without
 * the layout's columns. Only the five cells it needs are cut out of the line.
 */
export function parseExtractionLine(line: string): ReferenceProfessional | 'skip' | 'malformed' {
  let found = 0;
  for (let at = line.indexOf(EXTRACTION_SEPARATOR); at !== -1 && found < EXTRACTION_COLUMN_COUNT - 1; at = line.indexOf(EXTRACTION_SEPARATOR, at + 1)) {
    separators[found++] = at;
  }
  if (found < EXTRACTION_COLUMN_COUNT - 1) return 'malformed';
  const cell = (index: number) => line.slice(index === 0 ? 0 : separators[index - 1]! + 1, separators[index]);
  if (cell(COLUMNS.personIdType.index).trim() !== RPPS_ID_TYPE) return 'skip';
  const rpps = cell(COLUMNS.personId.index).trim();
  const lastName = blankToNull(cell(COLUMNS.lastName.index));
  if (!RPPS_FORMAT.test(rpps) || lastName === null) return 'skip';
  return {
    rpps,
    lastName,
    firstName: blankToNull(cell(COLUMNS.firstName.index)),
    profession: blankToNull(cell(COLUMNS.profession.index)),
  };
}

/** Lines of a text read in chunks, without their `\r\n` or `\n`, the BOM dropped. */
export async function* readLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let pending = '';
  let isFirst = true;
  for await (const chunk of chunks) {
    let text = pending + chunk;
    if (isFirst) {
      text = text.replace(/^\uFEFF/, '');
      isFirst = false;
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
    }
    pending = text.slice(start);
  }
  if (pending.length > 0) yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

export class NotUtf8TextError extends Error {}

/**
 * Cuts an upload's bytes into UTF-8 text chunks of about `size` bytes, each ending after a
 * line end (0x0A never occurs inside a multi-byte character, so no character is ever cut). Throws
 * NotUtf8TextError on bytes that are not UTF-8 text (or hold NUL, which PostgreSQL text refuses).
 */
export class TextChunker {
  private parts: Buffer[] = [];
  private bytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly size: number) {}

  /** The chunks completed by these bytes. */
  push(data: Buffer): string[] {
    this.parts.push(data);
    this.bytes += data.length;
    if (this.bytes < this.size) return [];
    const all = Buffer.concat(this.parts);
    const cut = all.lastIndexOf(0x0a) + 1;
    if (cut === 0) {
      // A line may straddle the size; one of several times the size is not a text file's.
      if (all.length > this.size * 4) throw new NotUtf8TextError(`No line end in ${all.length} bytes`);
      this.parts = [all];
      return [];
    }
    this.parts = [all.subarray(cut)];
    this.bytes = all.length - cut;
    return [this.decode(all.subarray(0, cut))];
  }

  /** What is left, at the end of the upload. */
  end(): string[] {
    const rest = Buffer.concat(this.parts);
    this.parts = [];
    return rest.length === 0 ? [] : [this.decode(rest)];
  }

  private decode(bytes: Buffer): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      throw new NotUtf8TextError('The file is not UTF-8 text');
    }
    if (text.includes('\u0000')) throw new NotUtf8TextError('The file holds NUL characters');
    return text;
  }
}
