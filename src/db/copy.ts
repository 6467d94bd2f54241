import type { Writable } from 'node:stream';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, Transaction } from './database';
import * as schema from './schema';

/** Starts `COPY … FROM STDIN` on the transaction's connection: write the data to the stream, then end it. */
export type CopyIn = (statement: string) => Writable;

/**
 * A transaction whose work may also COPY into tables. On PostgreSQL it runs on a pooled connection
 * held for it, on which `copyIn` streams; PGlite has no such stream, so `copyIn` is undefined there
 * and the work inserts instead.
 */
export async function transactionWithCopy<T>(
  db: Database,
  work: (tx: Transaction, copyIn: CopyIn | undefined) => Promise<T>,
): Promise<T> {
  // drizzle keeps the driver's client at `$client`: the pg pool, or the PGlite instance.
  const client = (db as unknown as { $client: unknown }).$client;
  if (!(client instanceof Pool)) return db.transaction((tx) => work(tx, undefined));
  const connection = await client.connect();
  try {
    const connectionDb = drizzlePostgres(connection, { schema }) as unknown as Database;
    return await connectionDb.transaction((tx) => work(tx, (statement) => connection.query(copyFrom(statement))));
  } finally {
    connection.release();
  }
}
