import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../domain/errors/error-catalogue';
import { Named, NamedRef, schemaName } from './named-schemas';
import { Defaulted } from './schemas';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The `limit` and `cursor` query parameters every list accepts. */
export const PageQuerySchema = Type.Object({
  limit: Defaulted(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  cursor: Type.Optional(Type.String({ maxLength: 1024, description: "Opaque; the previous page's nextCursor" })),
});

const pageOf = <T extends TSchema>(item: T, description?: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
    },
    description ? { description } : {},
  );
const namedPages = new Map<string, TSchema>();

/**
 * A resource the contract names (`Mailbox`) and lists: its envelope is named too (`MailboxPage`,
 * items a `$ref` to the resource), created here, at load, so that `buildApp` registers both
 * before the routes (a Fastify plugin sees only the schemas its parent had when it started).
 */
export function Listed<T extends TSchema>(name: string, item: T): T {
  Named(name, item);
  namedPages.set(name, Named(`${name}Page`, pageOf(NamedRef(item), `A page of ${name} items, in the list's order`)));
  return item;
}

/** A list's envelope; for a `Listed` resource, a reference to its named envelope. */
export function pageSchema<T extends TSchema>(item: T) {
  const name = schemaName(item);
  if (!name) return pageOf(item);
  const page = namedPages.get(name) as ReturnType<typeof pageOf<TUnsafe<Static<T>>>> | undefined;
  if (!page) throw new Error(`${name} is listed: name it with Listed() rather than Named()`);
  return NamedRef(page);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset pagination: the cursor carries the sort key of the last item returned, so that a page
 * never skips or repeats rows when others are inserted meanwhile (an offset would).
 */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** A page's last key, as a cursor carries it: what a repository's keyset reads after (`db/keyset.ts`). */
export type CursorKey = readonly (string | number | null)[];

export function decodeCursor(cursor: string | undefined, length: number): (string | number | null)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((part) => part === null || ['string', 'number'].includes(typeof part))
    ) {
      return key as (string | number | null)[];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('BAD_REQUEST', 'The cursor is not one this list produced', [
    { field: 'cursor', code: 'CURSOR_INVALID', message: 'Use the nextCursor of the previous page as it was given' },
  ]);
}

/** A value already written as JSON (by PostgreSQL), to be sent as it is. */
export type JsonText = string & { readonly writtenAsJson: unique symbol };

/**
 * Sends a page whose items are already JSON, written as the page's schema would write it: a
 * string with a JSON content type is sent by Fastify as it is, not serialised again.
 */
export function sendJsonPage(reply: FastifyReply, page: Page<JsonText>): FastifyReply {
  const body = `{"items":[${page.items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  return reply.type('application/json; charset=utf-8').send(body);
}

/** Callers fetch `limit + 1` rows; the extra one only tells whether another page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => (string | number | null)[],
  toItem: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
