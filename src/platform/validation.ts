import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const COMMON_OPTIONS: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false };

/**
 * Query strings, params and headers arrive as text and are coerced to the schema's types; JSON
 * bodies are not, because coercion would turn an explicit `null` (clear this field) into `false`,
 * `0` or `""` before the union's null branch is tried.
 */
const coercingAjv = addFormats(new Ajv({ ...COMMON_OPTIONS, coerceTypes: 'array' }));
/**
 * `strictNumbers` for bodies: without it a JSON `1e400` (Infinity) passes as a number, and even as
 * an integer, to fail in PostgreSQL as a 500. Not for coerced parts: there AJV 8 skips `maximum`
 * for a non-finite value it has just coerced from text ('1e400'), so a query integer would get
 * through; without `strictNumbers` its `maximum` refuses it (every query integer declares one).
 */
const strictAjv = addFormats(new Ajv({ ...COMMON_OPTIONS, coerceTypes: false, strictNumbers: true }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema);

/**
 * A validator for values that arrive as text outside Fastify's validation (the fields of a
 * multipart form a route streams): coerced like a query string, defaults filled.
 */
export const compileTextValidator = (schema: object) => coercingAjv.compile(schema);
