import type { FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../../domain/errors/error-catalogue';
import { assertMultipartRequest, multipartFailure, receiveFilePart } from '../../platform/multipart-upload';
import { spoolToDisk, type SpooledFile } from '../../platform/spool-file';
import type { ImportOptions } from './imports.schemas';
import { FORMAT_SNIFF_BYTES } from '../loaduser-sheet';

export interface ImportUpload {
  fileName: string;
  /** On disk until stored; the caller removes it (`withImportUpload`). */
  file: SpooledFile;
  options: ImportOptions;
}

const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
const OPTION_NAMES = ['dryRun', 'onError', 'notify', 'directoryVisible'];

function invalid(errors: ErrorDetail[]): AppError {
  return new AppError('VALIDATION_FAILED', 'The upload does not match the schema', errors);
}

/** The form fields as options; every field is checked and all mistakes reported at once. */
export function parseImportOptions(fields: Readonly<Record<string, string>>): ImportOptions {
  const errors: ErrorDetail[] = [];
  const booleanOf = (name: string): boolean | undefined => {
    const text = fields[name]?.trim().toLowerCase();
    if (text === undefined || text === '') return undefined;
    const value = BOOLEAN_TEXT[text];
    if (value === undefined) errors.push({ field: name, code: 'SCHEMA_TYPE', message: `${name} is true or false` });
    return value;
  };
  for (const name of Object.keys(fields)) {
    if (!OPTION_NAMES.includes(name)) {
      errors.push({
        field: name,
        code: 'SCHEMA_ADDITIONAL_PROPERTIES',
        message: `Unknown field; the options are ${OPTION_NAMES.join(', ')}`,
      });
    }
  }
  const onError = fields.onError?.trim() || 'abort';
  if (onError !== 'abort' && onError !== 'skip')
    errors.push({ field: 'onError', code: 'SCHEMA_ENUM', message: 'onError is abort or skip' });
  const options = {
    dryRun: booleanOf('dryRun') ?? false,
    onError: onError === 'skip' ? 'skip' : 'abort',
    notify: booleanOf('notify') ?? false,
    directoryVisible: booleanOf('directoryVisible') ?? null,
  } as const;
  if (errors.length > 0) throw invalid(errors);
  return options;
}

/**
 * Reads the multipart body: one `file` part, written to a temporary file as it arrives (up to the
 * configured limit), and the option fields, in any order. The upload is handed to `work`, then
 * removed whatever happens.
 */
export async function withImportUpload<T>(
  request: FastifyRequest,
  limits: { maxBytes: number; spoolDirectory: string },
  work: (upload: ImportUpload) => Promise<T>,
): Promise<T> {
  assertMultipartRequest(request);
  const fields: Record<string, string> = {};
  let upload: { fileName: string; file: SpooledFile } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const { fileName, content } = receiveFilePart(part);
        // Read to its end whatever its name: the parser waits for each part to be consumed.
        upload = {
          fileName: fileName || 'upload',
          file: await spoolToDisk(content, { directory: limits.spoolDirectory, headBytes: FORMAT_SNIFF_BYTES }),
        };
        if (part.fieldname !== 'file')
          throw invalid([
            {
              field: part.fieldname,
              code: 'SCHEMA_ADDITIONAL_PROPERTIES',
              message: 'The file goes in a part named `file`',
            },
          ]);
      } else {
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
    const options = parseImportOptions(fields);
    if (!upload)
      throw invalid([
        { field: 'file', code: 'SCHEMA_REQUIRED', message: 'Attach the loaduser file in a part named `file`' },
      ]);
    return await work({ ...upload, options });
  } catch (error) {
    // The client went away, or timed out, before the end of its upload: its fault, not the server's.
    if (!request.raw.complete && request.raw.socket.destroyed)
      throw new AppError('BAD_REQUEST', 'The upload stopped before its end; send it again');
    throw (
      multipartFailure(
        error,
        () =>
          new AppError(
            'PAYLOAD_TOO_LARGE',
            `Send one file of at most ${limits.maxBytes} bytes (${Math.floor(limits.maxBytes / 1024 / 1024)} MiB); split larger imports`,
          ),
      ) ?? error
    );
  } finally {
    await upload?.file.remove();
  }
}
