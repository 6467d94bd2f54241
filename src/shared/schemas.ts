import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Schema primitives shared by every module. */

/** The largest value of a PostgreSQL `integer` (int4) column: an input integer stored in one declares it as its `maximum`. */
export const PG_INTEGER_MAX = 2_147_483_647;
export const IdSchema = Type.String({ format: 'uuid' });
export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });
export const DateSchema = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const DateTimeSchema = Type.String({ format: 'date-time' });
/**
 * `T | null` as `type: [T, 'null']` rather than `anyOf`: fast-json-stringify serialises a type
 * array directly, whereas for `anyOf` it validates each value against every branch at run time
 * (measured: the difference decides whether a 50-item page is cheap or not).
 */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  const type = (schema as { type?: string | string[] }).type;
  if (typeof type !== 'string') throw new Error('Nullable() takes a schema with a single `type`');
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options, type: [type, 'null'] });
}

/**
 * A property the server fills with its `default` when it is absent (AJV's `useDefaults`): optional
 * in the contract, since `Type.Object` marks every property not wrapped in `Type.Optional` as
 * `required`, default or not, and a generated client would then refuse a call the server accepts.
 * Its static type stays `T`: once validated, the value is always there.
 */
export function Defaulted<T extends TSchema>(schema: T): T {
  if (!('default' in schema)) throw new Error('Defaulted() takes a schema with a `default`');
  return Type.Optional(schema) as unknown as T;
}

/** Headers of conditional and idempotent requests, declared so the contract shows them. */
export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag you read; 412 if the resource changed since' })),
});
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'A retry with the same key replays the first answer' }),
  ),
});

/** A closed set of strings as `enum` (serialised directly; an `anyOf` of literals is checked branch by branch). */
export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
