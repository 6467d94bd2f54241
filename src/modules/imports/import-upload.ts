import type { FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../../domain/errors/error-catalogue';
import {
  assertMultipartRequest,
  multipartFailure,
  readFormFields,
  receiveFilePart,
} from '../../platform/multipart-upload';
import { spoolToDisk, type SpooledFile } from '../../platform/spool-file';
import { ImportFormFieldsSchema, type ImportOptions } from './imports.schemas';
import { FORMAT_SNIFF_BYTES } from '../loaduser-sheet';

export interface ImportUpload {
  fileName: string;
  /** On disk until stored; the caller removes it (`withImportUpload`). */
  file: SpooledFile;
  options: ImportOptions;
}

function invalid(errors: ErrorDetail[]): AppError {
  return new AppError('VALIDATION_FAILED', 'The upload does not match the schema', errors);
}

/** The form fields as options, checked against the form's schema (every mistake reported at once). */
export function parseImportOptions(fields: Readonly<Record<string, string>>): ImportOptions {
  const { directoryVisible, ...options } = readFormFields(ImportFormFieldsSchema, fields);
  return { ...options, directoryVisible: directoryVisible ?? null };
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
