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
const strictAjv = addFormats(new Ajv({ ...COMMON_OPTIONS, coerceTypes: false }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema);
