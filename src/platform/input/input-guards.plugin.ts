import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../../domain/errors/error-catalogue';
import { findUnsafeInput } from './text-guards';

/** `fatal`: bytes that are not UTF-8 throw instead of becoming U+FFFD, which would be stored as if sent. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The request parts a handler reads, with the word the problem's detail uses for each. */
const GUARDED_PARTS = [
  ['body', 'body'],
  ['query', 'query string'],
  ['params', 'path'],
] as const satisfies readonly (readonly [keyof FastifyRequest, string])[];

/**
 * Refuses, as 400 problems naming the field, input PostgreSQL would refuse (a NUL character: a
 * 500 from deep inside a query) or alter (unpaired surrogates, bytes that are not UTF-8: stored
 * as U+FFFD without a word), on every route.
 *
 * One `preValidation` hook over the parsed body, query and params rather than an AJV keyword on
 * the string primitives: a keyword covers only the schemas that remember to use it, and
 * `Type.String()` is written in dozens of places; the hook covers every route, present and future,
 * schema or not, object keys included. It runs before schema validation, so such input is
 * reported for what it is even when the value is otherwise invalid too. Headers are not walked:
 * Node.js's HTTP parser already refuses a NUL in them, and it reads them as Latin-1, in which no
 * unpaired surrogate can arise. Multipart uploads are streamed past this hook; their file names
 * are checked where the part is read (`platform/multipart-upload.ts`).
 */
export const inputGuardsPlugin = fp(
  async (app) => {
    // Fastify's own JSON parser (secure-json-parse: `__proto__` and `constructor.prototype` are
    // refused), fed text decoded strictly instead of by a stream that replaces invalid bytes.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    // No route reads plain text: without this parser Fastify answers `text/plain` with 415, as it
    // does any type no route takes, instead of handing a string to a JSON schema (a 400).
    app.removeContentTypeParser('text/plain');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      let text: string;
      try {
        text = strictUtf8.decode(body);
      } catch {
        done(
          new AppError('BAD_REQUEST', 'The JSON body is not valid UTF-8', [
            {
              field: 'body',
              code: 'INVALID_UTF8',
              message: 'contains bytes that are not UTF-8; send the text encoded as UTF-8',
            },
          ]),
        );
        return;
      }
      void parseJson(request, text, done);
    });

    app.addHook('preValidation', async (request) => {
      const issues: ErrorDetail[] = [];
      const where: string[] = [];
      for (const [part, word] of GUARDED_PARTS) {
        const found = findUnsafeInput(request[part], part);
        if (found.length === 0) continue;
        issues.push(...found);
        where.push(word);
      }
      if (issues.length > 0) {
        const what = issues.every((issue) => issue.code === 'NESTED_TOO_DEEPLY')
          ? 'is nested too deeply'
          : 'holds text that cannot be stored';
        throw new AppError('VALIDATION_FAILED', `The ${where.join(' and ')} ${what}`, issues);
      }
    });
  },
  { name: 'input-guards' },
);
