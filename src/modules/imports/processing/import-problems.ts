import type { SheetError, SheetErrorCode } from '../sheet';

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
}

export type ImportProblemCode = SheetErrorCode | 'ROWS_INVALID' | 'IMPORT_CRASHED';

const TITLES: Record<ImportProblemCode, string> = {
  FILE_EMPTY: 'The file is empty',
  FORMAT_UNSUPPORTED: 'The file is not a loaduser spreadsheet',
  FILE_UNREADABLE: 'The file cannot be read',
  HEADER_MISMATCH: 'The first row is not the loaduser header',
  TEMPLATE_OUTDATED: 'The file follows an older loaduser template',
  ROWS_INVALID: 'Rows have errors: nothing was written',
  IMPORT_CRASHED: 'The import stopped on an unexpected error',
};

function problem(code: ImportProblemCode, detail: string): ImportProblem {
  return { type: `https://balise.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`, title: TITLES[code], detail, code };
}

export function sheetProblem(error: SheetError): ImportProblem {
  const found = problem(error.code, error.message);
  const isHeader = error.code === 'HEADER_MISMATCH' || error.code === 'TEMPLATE_OUTDATED';
  if (isHeader) found.template = TEMPLATE_URL;
  if (error.details.column) found.errors = [{ row: 1, column: error.details.column, code: error.code, message: error.message }];
  return found;
}

export function rowsInvalidProblem(failed: number): ImportProblem {
  const rows = failed === 1 ? '1 row has' : `${failed} rows have`;
  return problem('ROWS_INVALID', `${rows} errors and onError is abort: no box was written. Fix them (GET …/rows?outcome=failed) and import again, or import with onError=skip.`);
}

export function crashedProblem(): ImportProblem {
  return problem('IMPORT_CRASHED', 'The import stopped after several attempts; rows applied before the failure stay applied. Quote the import id to the operator.');
}

/** The import's process stopped during an attempt that made no progress: it is not tried again. */
export function abandonedProblem(): ImportProblem {
  return problem('IMPORT_CRASHED', 'The import stopped the server processing it before any progress, so it is not tried again; rows applied before stay applied. Check the file, or quote the import id to the operator.');
}
