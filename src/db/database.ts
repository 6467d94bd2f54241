import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { Pool, type PoolClient } from 'pg';
import type { DatabaseConfig } from '../config/config';
import { skipRowTemplateForArrayResults } from './pg-array-results';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle handle both backends share; services never know which one they run on. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A repository runs on the database or inside a caller's transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: DatabaseConfig['kind'];
  /** The pg pool, for the few places that speak the wire protocol directly (COPY, cursors). */
  readonly pool: Pool | undefined;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(__dirname, '..', '..', 'migrations');
/** Any constant: several API processes starting at once take turns applying migrations. */
const MIGRATION_LOCK_ID = 4_242_001;

/**
 * `onConnectionLost`: a pooled connection was cut (server restart, failover, a database dropped,
 * `pg_terminate_backend`). pg reports it as an 'error' event on the connection's `Client`; the pool
 * listens while the connection is idle (and discards it), but nobody listens while it is checked
 * out (a transaction, COPY, the migration lock), and an 'error' event without a listener is an
 * uncaught exception that stops the process. So every connection gets a listener of its own as it
 * opens: the query in flight fails with the error anyway (the request answers 503), and the pool
 * discards the dead connection when it is released (`_queryable` is false) and opens another one
 * on demand.
 */
export async function openDatabase(
  config: DatabaseConfig,
  onConnectionLost: (error: Error) => void = () => undefined,
): Promise<DatabaseHandle> {
  if (config.kind === 'postgres') {
    skipRowTemplateForArrayResults();
    const pool = new Pool({
      connectionString: config.url,
      max: config.poolSize,
      // While the server is unreachable a request waits this long for a connection, then answers 503.
      connectionTimeoutMillis: config.connectTimeoutSeconds * 1000,
      // A server that vanished without closing its sockets (a failover) is noticed by TCP, not never.
      keepAlive: true,
      // Kept open while unused for minutes, not pg-pool's 10 s: a new connection takes 15-20 ms to
      // open, its first statement 30-50 ms (the backend fills its catalog caches), and each prepared
      // statement runs five custom plans before its generic one (a search: 7-15 ms each against 4-6).
      // Closed after 10 s, an occasional administrator's every search paid that (search bench database).
      idleTimeoutMillis: config.idleTimeoutSeconds * 1000,
    });
    handleLostConnections(pool, onConnectionLost);
    const db = drizzlePostgres(pool, { schema }) as unknown as Database;
    return { db, kind: 'postgres', pool, close: () => pool.end() };
  }
  return openEmbeddedDatabase(config.dataDir);
}

export interface EmbeddedDatabaseHandle extends DatabaseHandle {
  /** The whole data directory as an uncompressed tarball, to start another embedded database from. */
  dumpDataDir(): Promise<Blob>;
}

/**
 * An embedded PGlite database in `dataDir`, created empty, or from a data directory another one
 * dumped (`initialDataDir`): creating a cluster runs initdb (about 5 s), loading one about 1 s,
 * which is why the test suite migrates once per run and starts each test file from that dump.
 */
export async function openEmbeddedDatabase(dataDir: string, initialDataDir?: Blob): Promise<EmbeddedDatabaseHandle> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // Loaded only for an embedded database: a process on PostgreSQL does not carry PGlite's code.
  const [{ PGlite }, { unaccent }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('drizzle-orm/pglite'),
  ]);
  // The contrib extensions the migrations create must be loaded with the engine (the mailbox search folds accents with unaccent).
  const client = await PGlite.create(dataDir, { extensions: { unaccent }, loadDataDir: initialDataDir });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    pool: undefined,
    close: () => client.close(),
    dumpDataDir: async () => client.dumpDataDir('none'),
  };
}

/**
 * Gives every pooled connection an 'error' listener as it opens, and hands a checked-out
 * connection whose link died back to the pool at once, which discards it. Handing it back is not
 * left to its holder: drizzle's `transaction()` checks a connection out and sends BEGIN before
 * its try/finally, so a connection cut at that moment was never released, and after a few
 * restarts the pool was full of dead connections and every request waited for one in vain.
 * The holder's own later `release()` is then a no-op (pg-pool would throw on a second one).
 */
function handleLostConnections(pool: Pool, onConnectionLost: (error: Error) => void): void {
  const checkedOut = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    let hasReported = false;
    client.on('error', (error) => {
      if (hasReported) return;
      hasReported = true;
      onConnectionLost(error);
      if (!checkedOut.has(client)) return;
      const release = client.release.bind(client);
      client.release = () => undefined;
      release(error);
    });
  });
  // The pool re-emits an idle connection's error; the connection's own listener above reported it.
  pool.on('error', () => undefined);
}

/** Applies the committed drizzle-kit migrations; both backends read the same folder. */
export async function migrateDatabase(handle: DatabaseHandle, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (handle.kind === 'pglite') {
    // PGlite is one connection in one process: nobody else can be migrating at the same time.
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(handle.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    client.release();
  }
}

export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Raw SQL returning rows; both drivers answer `{ rows }`, which drizzle's shared type cannot express. */
export async function selectRows<Row>(executor: Executor, query: SQL): Promise<Row[]> {
  const result: unknown = await executor.execute(query);
  return (result as { rows: Row[] }).rows;
}
