import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import type { Static, TObject } from '@sinclair/typebox';
import { AppError } from '../domain/errors/error-catalogue';
import { validationDetail } from './errors/errors.plugin';
import { unsafeTextIssue } from './input/text-guards';
import { compileTextValidator } from './validation';

/**
 * The checks both upload routes share around @fastify/multipart, so that what a client gets wrong
 * in a multipart body is a 400 problem saying what, never a 500 or a request left hanging.
 */

/** RFC 2046: 1 to 70 characters; busboy throws plain errors (500s) on a missing or empty one. */
const BOUNDARY = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i;

/** 415 if the body is not multipart; 400 if its Content-Type names no usable boundary. */
export function assertMultipartRequest(request: FastifyRequest): void {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in a part named `file`');
  }
  if (!BOUNDARY.test(request.headers['content-type'] ?? '')) {
    throw new AppError(
      'BAD_REQUEST',
      'The multipart Content-Type has no boundary (`multipart/form-data; boundary=…`, 1 to 70 characters)',
      [
        {
          field: 'content-type',
          code: 'MULTIPART_BOUNDARY',
          message: 'names no boundary, or one longer than 70 characters',
        },
      ],
    );
  }
}

// Control characters are exactly what this looks for.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The file part's name and content, or a 400 naming the part. A name holding a control character
 * or U+FFFD (busboy's stand-in for bytes that were not UTF-8) is refused rather than stored. The
 * content is relayed through a stream whose listeners are attached now: busboy reports a part cut
 * short by emitting on its stream, and a consumer that subscribes later (after an `await`) would
 * wait for the end of that stream for ever.
 */
export function receiveFilePart(part: MultipartFile): { fileName: string; content: Readable } {
  const refuse = (code: string, message: string) => {
    part.file.resume();
    return new AppError('BAD_REQUEST', 'The multipart body is malformed', [{ field: part.fieldname, code, message }]);
  };
  if (part.file.destroyed && !part.file.readableEnded)
    throw refuse('MULTIPART_TRUNCATED', 'The body ended in the middle of this part');
  const name = part.filename;
  const nameIssue = unsafeTextIssue(name, part.fieldname);
  if (nameIssue || CONTROL_CHARACTER.test(name) || name.includes('\ufffd')) {
    throw refuse(
      nameIssue?.code ?? 'FILE_NAME_INVALID',
      'The file name holds a control character or bytes that are not UTF-8',
    );
  }
  const content = new PassThrough();
  // Errors reach the consumer through `content`, destroyed with them.
  pipeline(part.file, content, () => undefined);
  return { fileName: name, content };
}

/** @fastify/multipart's and busboy's failures as problems; undefined for anything else. */
export function multipartFailure(error: unknown, tooLarge: () => AppError): AppError | undefined {
  if (error instanceof AppError) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (code === 'FST_FILES_LIMIT') {
    return new AppError('BAD_REQUEST', 'Send one file only', [
      { field: 'file', code: 'MULTIPART_FILES_LIMIT', message: 'Only one file part is accepted' },
    ]);
  }
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new AppError('BAD_REQUEST', 'The multipart body has more parts than this upload takes', [
      { field: 'body', code: 'MULTIPART_PARTS_LIMIT', message: 'Send the file and its options only' },
    ]);
  }
  // A part cut short (its relay closed early), or busboy's own words for a body it cannot read.
  const unreadable =
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (typeof message === 'string' &&
      /multipart|boundary|needle|terminated early|Malformed/i.test(message) &&
      code === undefined);
  if (unreadable) {
    return new AppError('BAD_REQUEST', 'The multipart body is malformed or ends before its closing boundary', [
      { field: 'body', code: 'MULTIPART_MALFORMED', message: 'Send a complete multipart/form-data body' },
    ]);
  }
  return undefined;
}

/**
 * The multipart form of an upload route: one `file` part and the text fields beside it. Upload
 * routes stream their body, so Fastify validates none; the route names its form in
 * `config.uploadForm`, from which the contract shows the form (`platform/openapi/`), and reads its
 * fields with `readFormFields(form.fields, …)`: one schema for both.
 */
export interface UploadForm<Fields extends TObject = TObject> {
  /** The text fields: types, enums and defaults (`Defaulted` where the server fills one). */
  fields: Fields;
  file: {
    description: string;
    /** The part types accepted, for the contract's `encoding`; the file's bytes decide its format. */
    contentTypes: readonly string[];
  };
}

const validators = new WeakMap<TObject, ReturnType<typeof compileTextValidator>>();

/**
 * The form's text fields checked against their schema, coerced as a query string is (`true`,
 * `false`, numbers), defaults filled; a field sent empty counts as absent (an HTML form sends
 * every field it shows). A 400 naming each field at fault otherwise, all at once.
 */
export function readFormFields<Fields extends TObject>(
  fields: Fields,
  values: Readonly<Record<string, string>>,
): Static<Fields> {
  let validate = validators.get(fields);
  if (!validate) {
    validate = compileTextValidator(fields);
    validators.set(fields, validate);
  }
  const sent: Record<string, unknown> = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  if (!validate(sent)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The form does not match the schema',
      (validate.errors ?? []).map((issue) => validationDetail(issue, 'body')),
    );
  }
  return sent;
}
