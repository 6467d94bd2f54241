import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { migrateDatabase, openDatabase, openEmbeddedDatabase, type EmbeddedDatabaseHandle } from '../src/db/database';

/**
 * What Jest's global setup made for the run, for the workers (`test/harness.ts`): the workers start
 * after it and inherit these variables.
 */
export const RUN_DATABASES = {
  /** The embedded backend: a migrated PGlite data directory, dumped to a file. */
  migratedPglite: 'BALISE_TEST_MIGRATED_PGLITE',
  /** The embedded backend: a PGlite data directory fresh from initdb, for the tests that bring their own migrations. */
  emptyPglite: 'BALISE_TEST_EMPTY_PGLITE',
  /** The PostgreSQL server: a migrated database each test file's database is created from. */
  migratedTemplate: 'BALISE_TEST_MIGRATED_TEMPLATE',
} as const;

/**
 * Jest's global setup: migrates one database for the whole run, which each test file then copies
 * instead of migrating its own. On the embedded backend, loading the dump takes about 1 s against
 * 6 s for initdb and every migration; on the PostgreSQL server, CREATE DATABASE … TEMPLATE copies the
 * migrated database in a fraction of what running the migrations costs. The migrations tests still
 * migrate by themselves: they pass their own migrations folder (from initdb's dump, on PGlite).
 */
export default async function migrateOncePerRun(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) process.env[RUN_DATABASES.migratedTemplate] = await migrateTemplate(serverUrl);
  else await dumpPgliteDatabases();
}

async function dumpPgliteDatabases(): Promise<void> {
  const handle = await openEmbeddedDatabase('memory://');
  try {
    process.env[RUN_DATABASES.emptyPglite] = await dumpToFile(handle, 'empty');
    await migrateDatabase(handle);
    process.env[RUN_DATABASES.migratedPglite] = await dumpToFile(handle, 'migrated');
  } finally {
    await handle.close();
  }
}

async function dumpToFile(handle: EmbeddedDatabaseHandle, name: string): Promise<string> {
  const file = path.join(tmpdir(), `balise-test-pglite-${process.pid}-${name}.tar`);
  writeFileSync(file, Buffer.from(await (await handle.dumpDataDir()).arrayBuffer()), { mode: 0o600 });
  return file;
}

async function migrateTemplate(serverUrl: string): Promise<string> {
  const name = `balise_test_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`create database ${name}`));
  const handle = await openDatabase({
    kind: 'postgres',
    url: databaseUrl(serverUrl, name),
    poolSize: 1,
    connectTimeoutSeconds: 5,
    idleTimeoutSeconds: 10,
  });
  try {
    await migrateDatabase(handle);
  } finally {
    // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
    await handle.close();
  }
  return name;
}

/** Jest's global teardown: the run's databases go with it. */
export async function removeRunDatabases(): Promise<void> {
  for (const variable of [RUN_DATABASES.migratedPglite, RUN_DATABASES.emptyPglite]) {
    const file = process.env[variable];
    if (file !== undefined) rmSync(file, { force: true });
  }
  const template = process.env[RUN_DATABASES.migratedTemplate];
  const serverUrl = process.env.DATABASE_URL;
  if (template !== undefined && serverUrl)
    await withAdminClient(serverUrl, (client) => client.query(`drop database if exists ${template} with (force)`));
}

/** `serverUrl` with its database replaced by `database`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
