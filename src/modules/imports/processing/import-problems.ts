import type { SheetError, SheetErrorCode } from '../../loaduser-sheet';

export const TEMPLATE_URL = '/v1/imports/template';

/**
 * Why a whole import failed, as an RFC 9457 problem object kept on the import (`error`): the
 * same shape and codes style as the API's errors, without an HTTP status of its own.
 */
export interface ImportProblem {
  type: string;
  title: string;
  detail: string;
  code: string;
  errors?: { row?: number; column?: string; code: string; message: string }[];
  /** Where the current template is, on header errors. */
  template?: string;
  /** On an exceeded limit: the environment variable that sets it, and its value. */
  setting?: string;
  limit?: number;
}

export type ImportProblemCode = SheetErrorCode | 'ROWS_INVALID' | 'IMPORT_CRASHED';

const TITLES: Record<ImportProblemCode, string> = {
  FILE_EMPTY: 'The file is empty',
  FORMAT_UNSUPPORTED: 'The file is not a loaduser spreadsheet',
  FILE_UNREADABLE: 'The file cannot be read',
  HEADER_MISMATCH: 'The first row is not the loaduser header',
  TEMPLATE_OUTDATED: 'The file follows an older loaduser template',
  FILE_ENCODING_INVALID: 'The file mixes text encodings',
  TOO_MANY_ROWS: 'The file has more rows than an import may hold',
  TOO_MANY_COLUMNS: 'A row has more columns than an import may hold',
  CELL_TOO_LONG: 'A cell is longer than an import allows',
  FILE_TOO_LARGE_UNPACKED: 'The spreadsheet unpacks to more than an import allows',
  TOO_MANY_SHARED_STRINGS: 'The spreadsheet holds more distinct texts than an import allows',
  SHARED_STRINGS_TOO_LONG: "The spreadsheet's texts are longer, together, than an import allows",
  FILE_TOO_COMPLEX: 'The file needs more memory to read than an import may take',
  FILE_READ_STALLED: 'Reading the file stalled',
  ROWS_INVALID: 'Rows have errors: nothing was written',
  IMPORT_CRASHED: 'The import stopped on an unexpected error',
};

function problem(code: ImportProblemCode, detail: string): ImportProblem {
  return {
    type: `https://balise.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[code],
    detail,
    code,
  };
}

export function sheetProblem(error: SheetError): ImportProblem {
  const found = problem(error.code, error.message);
  const isHeader = error.code === 'HEADER_MISMATCH' || error.code === 'TEMPLATE_OUTDATED';
  if (isHeader) found.template = TEMPLATE_URL;
  const { row, column, setting, limit } = error.details;
  if (column !== undefined || row !== undefined) {
    found.errors = [{ row: isHeader ? 1 : row, column, code: error.code, message: error.message }];
  }
  if (setting !== undefined) Object.assign(found, { setting, limit });
  return found;
}

export function rowsInvalidProblem(failed: number): ImportProblem {
  const rows = failed === 1 ? '1 row has' : `${failed} rows have`;
  return problem(
    'ROWS_INVALID',
    `${rows} errors and onError is abort: no box was written. Fix them (GET …/rows?outcome=failed) and import again, or import with onError=skip.`,
  );
}

export function crashedProblem(): ImportProblem {
  return problem(
    'IMPORT_CRASHED',
    'The import stopped after several attempts; rows applied before the failure stay applied. Quote the import id to the operator.',
  );
}

/** The import's process stopped during an attempt that made no progress: it is not tried again. */
export function abandonedProblem(): ImportProblem {
  return problem(
    'IMPORT_CRASHED',
    'The import stopped the server processing it before any progress, so it is not tried again; rows applied before stay applied. Check the file, or quote the import id to the operator.',
  );
}
