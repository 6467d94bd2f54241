import fc from 'fast-check';

/**
 * fast-check arbitraries for requests built from the OpenAPI contract: values of the declared
 * shape, some plausible (so that requests get past validation and reach the handlers and the
 * database), some hostile.
 */

/** The part of JSON Schema the contract uses. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
}

/** JSON text put in the body as is: what JSON.stringify cannot write (1e400) or would refuse to. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Serialises a generated body; a RawJson is written verbatim. Lone surrogates come out as `\udXXX` escapes. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '99999999999999999999',
  '-99999999999999999999',
  '2147483648',
  '9223372036854775808',
  '1e-400',
  '0.1e1',
];
const HOSTILE_TEXT = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\udbff\udbff',
  '\uffff\ufffe',
  '\ufeff',
  '\u202e',
  'é\u0301',
  '𝄞',
  '',
  ' ',
  '%',
  '%00',
  '\\',
  '"',
  "'; select pg_sleep(1); --",
  '../../etc/passwd',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  'infinity',
  '-infinity',
  'NaN',
  'null',
  '{}',
  '9'.repeat(400),
  'x'.repeat(10_000),
];

/** Values of every wrong kind, raw JSON included. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.constantFrom(...HUGE_NUMBERS.map((text) => new RawJson(text))),
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -2147483649,
    Number.MAX_SAFE_INTEGER,
    [],
    {},
    [null],
    { '\u0000': 1 },
    { __proto__x: 1 },
  ),
  fc.constantFrom(
    new RawJson('['.repeat(3000) + ']'.repeat(3000)),
    new RawJson('{"a":'.repeat(500) + '1' + '}'.repeat(500)),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A 1 MiB string: at the body limit, so it is a 413 at worst. */
export const HUGE_STRING = 'x'.repeat(1024 * 1024);

function plausibleString(schema: JsonSchema, realIds: readonly string[]): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(fc.constantFrom(...realIds), fc.uuid());
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constantFrom('jean.dupont@hopital.example.fr', 'a@b.c'));
    case 'date':
      return fc
        .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString());
    default: {
      const maxLength = Math.min(schema.maxLength ?? 60, 300);
      return fc.oneof(
        fc.string({ unit: 'grapheme', maxLength }),
        fc.string({ unit: 'binary', maxLength }),
        fc.stringMatching(/^[0-9]{1,20}$/),
      );
    }
  }
}

function plausibleInteger(schema: JsonSchema): fc.Arbitrary<unknown> {
  const min = Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 31));
  const max = Math.min(schema.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1);
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
}

/**
 * Values for `schema`: mostly of its shape, so that requests reach the handler, and any field may
 * be hostile instead. `depth` stops recursion through nested objects.
 */
export function valueFor(schema: JsonSchema, realIds: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const plausible = plausibleValue(schema, realIds, depth);
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostileValue });
}

function plausibleValue(schema: JsonSchema, realIds: readonly string[], depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => plausibleValue(branch, realIds, depth)));
  if (schema.allOf) return plausibleValue(Object.assign({}, ...schema.allOf) as JsonSchema, realIds, depth);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
  return fc.oneof(...types.map((type) => plausibleOfType(type, schema, realIds, depth)));
}

function plausibleOfType(
  type: string,
  schema: JsonSchema,
  realIds: readonly string[],
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return plausibleString(schema, realIds);
    case 'integer':
      return plausibleInteger(schema);
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items && depth < 4 ? valueFor(schema.items, realIds, depth + 1) : hostileValue, {
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    default:
      return objectFor(schema, realIds, depth);
  }
}

function objectFor(schema: JsonSchema, realIds: readonly string[], depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0 || depth >= 4)
    return fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 2 });
  const record = fc.record(
    Object.fromEntries(properties.map(([name, property]) => [name, valueFor(property, realIds, depth + 1)])),
    { requiredKeys: (schema.required ?? []).filter((name) => schema.properties?.[name] !== undefined) },
  );
  // Sometimes a property the schema does not declare, named or valued hostilely.
  return fc
    .tuple(
      record,
      fc.option(fc.tuple(fc.constantFrom('extra', 'x\u0000', '__proto__', '\ud800'), hostileValue), { freq: 8 }),
    )
    .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value));
}

/** A query value as URL text, plausible or hostile, already percent-encoded (raw escapes included). */
export function queryValueFor(schema: JsonSchema, realIds: readonly string[]): fc.Arbitrary<string> {
  const plausible = plausibleValue(schema, realIds, 0).map((value) =>
    encodeQueryText(typeof value === 'string' ? value : toJsonText(value)),
  );
  const hostile = fc.oneof(
    fc.constantFrom(
      '%00',
      'a%00b',
      '%ED%A0%80',
      '%FF',
      '%',
      '%E9',
      '1e400',
      '-1e400',
      '99999999999999999999',
      'NaN',
      'Infinity',
      '-1',
      '0x10',
      '',
      '%20',
    ),
    fc.constantFrom('x'.repeat(5000), '9'.repeat(400)),
    fc.string({ unit: 'binary', maxLength: 30 }).map(encodeQueryText),
  );
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: hostile });
}

/** encodeURIComponent, except that an unpaired surrogate (which it throws on) is sent as its three CESU-8 bytes. */
function encodeQueryText(text: string): string {
  return Array.from(text, (character) => {
    const code = character.charCodeAt(0);
    if (character.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    }
    return encodeURIComponent(character);
  }).join('');
}
