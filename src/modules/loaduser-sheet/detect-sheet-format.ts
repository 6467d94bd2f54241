import { SheetError } from './sheet-error';
import type { SheetFormat } from './sheet-row';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46];
const UTF16_LITTLE_ENDIAN_BOM = [0xff, 0xfe];
const UTF16_BIG_ENDIAN_BOM = [0xfe, 0xff];

/** Zip-based documents that are not XLSX workbooks, named after their usual extension. */
const OTHER_ZIP_EXTENSIONS = ['ods', 'numbers', 'xlsb', 'docx', 'pptx', 'odt', 'zip'];

const SAVE_AS_ADVICE = 'Save it as .xlsx, .xls or .csv from your spreadsheet program.';

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

function extensionOf(filename: string | undefined): string {
  const match = /\.([a-z0-9]+)$/i.exec(filename ?? '');
  return match?.[1]?.toLowerCase() ?? '';
}

/** OpenDocument files store their mimetype uncompressed as the zip's first entry. */
function isOpenDocument(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(30, 120)).toString('latin1').startsWith('mimetypeapplication/vnd.oasis');
}

/**
 * Text is CSV unless it holds bytes no text file has (NUL and most control characters), which
 * is how binaries, images and UTF-16 files give themselves away.
 */
function looksLikeText(bytes: Uint8Array): boolean {
  let controlCount = 0;
  for (const byte of bytes) {
    if (byte === 0) return false;
    const isAllowedControl = byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c;
    if (byte < 0x20 && !isAllowedControl) controlCount += 1;
  }
  return controlCount <= bytes.length / 100;
}

function looksLikeMarkup(bytes: Uint8Array): boolean {
  const start = Buffer.from(bytes.subarray(0, 64))
    .toString('latin1')
    .replace(/^\ufeff|^\u00ef\u00bb\u00bf/, '')
    .trimStart();
  return start.startsWith('<');
}

function refuse(description: string): SheetError {
  return new SheetError(
    'FORMAT_UNSUPPORTED',
    `The file is ${description}, not a loaduser spreadsheet. ${SAVE_AS_ADVICE}`,
  );
}

/**
 * Decides how to read an upload from its first bytes (see `FORMAT_SNIFF_BYTES`); the file name
 * only helps to name what was sent, since names lie more often than bytes.
 */
export function detectSheetFormat(filename: string | undefined, firstBytes: Uint8Array): SheetFormat {
  if (firstBytes.length === 0) throw new SheetError('FILE_EMPTY', 'The file is empty.');
  if (startsWith(firstBytes, ZIP_SIGNATURE)) {
    if (isOpenDocument(firstBytes)) throw refuse('an OpenDocument file (.ods)');
    const extension = extensionOf(filename);
    if (OTHER_ZIP_EXTENSIONS.includes(extension)) throw refuse(`a .${extension} file`);
    return 'xlsx';
  }
  if (startsWith(firstBytes, EMPTY_ZIP_SIGNATURE))
    throw new SheetError('FILE_UNREADABLE', 'The file is an empty zip archive.');
  if (startsWith(firstBytes, OLE_SIGNATURE)) return 'xls';
  if (startsWith(firstBytes, PDF_SIGNATURE)) throw refuse('a PDF document');
  if (startsWith(firstBytes, UTF16_LITTLE_ENDIAN_BOM) || startsWith(firstBytes, UTF16_BIG_ENDIAN_BOM)) {
    throw refuse('UTF-16 text (Excel\'s "Unicode text")');
  }
  if (!looksLikeText(firstBytes)) throw refuse('binary data');
  if (looksLikeMarkup(firstBytes)) throw refuse('an HTML or XML document');
  return 'csv';
}
