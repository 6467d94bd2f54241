import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * Schemas the contract names (`components.schemas.<Name>`), so a generated client gets a `Mailbox`
 * type rather than an anonymous one per path. `Named()` records a copy carrying the `$id` and hands
 * back the schema itself, unchanged, so it can still be embedded inline in other schemas (a nested
 * `$id` would clash with the registered one in AJV and fast-json-stringify). Routes answer with
 * `NamedRef(schema)`, a `$ref` that the app resolves against the schemas it registered with
 * `app.addSchema` (`registerNamedSchemas`): the same schema still serialises the response.
 */
const byName = new Map<string, TSchema>();
const nameOf = new WeakMap<TSchema, string>();

export function Named<T extends TSchema>(name: string, schema: T): T {
  const known = byName.get(name);
  if (known && known !== schema) throw new Error(`two schemas are named ${name}`);
  byName.set(name, schema);
  nameOf.set(schema, name);
  return schema;
}

export const schemaName = (schema: TSchema): string | undefined => nameOf.get(schema);

/** A reference to a named schema, typed as the schema's value. */
export function NamedRef<T extends TSchema>(schema: T, options: { description?: string } = {}): TUnsafe<Static<T>> {
  const name = nameOf.get(schema);
  if (!name) throw new Error('NamedRef() takes a schema given a name with Named()');
  return Type.Unsafe<Static<T>>({ $ref: name, ...options });
}

/** Every named schema, with its `$id`, for `app.addSchema` (from `buildApp`, once the modules are loaded). */
export const namedSchemas = (): TSchema[] => [...byName].map(([name, schema]) => ({ ...schema, $id: name }));
