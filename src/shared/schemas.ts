import { Type } from '@sinclair/typebox';

/** Schema primitives shared by every module. */
export const IdSchema = Type.String({ format: 'uuid' });
export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });
export const DateSchema = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const DateTimeSchema = Type.String({ format: 'date-time' });
export const NullableString = (options: Parameters<typeof Type.String>[0] = {}) =>
  Type.Union([Type.String(options), Type.Null()]);

/** Headers of conditional and idempotent requests, declared so the contract shows them. */
export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag you read; 412 if the resource changed since' })),
});
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'A retry with the same key replays the first answer' }),
  ),
});
