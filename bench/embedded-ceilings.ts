import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { REPO_ROOT } from './support';

/**
 * The loaduser ceilings on the embedded backend (PGlite, in this process, in memory): the box-only
 * COPY and the full-write ceiling, from the same CSV files and the same SQL as the PostgreSQL ones,
 * each on a freshly migrated database. PGlite has no psql: the script's psql lines are replaced by
 * their SQL (`\copy … from pstdin` becomes a COPY from PGlite's `/dev/blob`, variables are inlined).
 */

const seconds = (startedAt: bigint) => Number(process.hrtime.bigint() - startedAt) / 1e9;

async function migrated(dataDir: string): Promise<PGlite> {
  const client = await PGlite.create(dataDir, { extensions: { unaccent } });
  await migrate(drizzle(client), { migrationsFolder: path.join(REPO_ROOT, 'migrations') });
  return client;
}

/**
 * Migrates a PGlite folder before a server opens it: on a loaded machine the migrations outlast
 * Fastify's ten seconds for a plugin to start, and the server's start-up is not what is measured.
 */
export async function migrateEmbeddedFolder(dataDir: string): Promise<void> {
  await (await migrated(dataDir)).close();
}

async function freshDatabase(structureId: string): Promise<PGlite> {
  const client = await migrated('memory://');
  await client.query(`insert into structures (id, name) values ($1, 'Bench')`, [structureId]);
  return client;
}

/** The file's first `rows` lines (the embedded backend is measured on fewer rows: it is many times slower). */
const blobOf = (file: string, rows: number) =>
  new Blob([`${readFileSync(file, 'utf8').split('\n').slice(0, rows).join('\n')}\n`]);

/** COPY of the box rows into `mailboxes`, as psql's `\copy` does on PostgreSQL. */
export async function embeddedCopy(file: string, rows: number, columns: string, structureId: string): Promise<number> {
  const client = await freshDatabase(structureId);
  const blob = blobOf(file, rows);
  const startedAt = process.hrtime.bigint();
  await client.query(`copy mailboxes (${columns}) from '/dev/blob' with (format csv)`, [], { blob });
  const elapsed = seconds(startedAt);
  await client.close();
  return elapsed;
}

/** `bench/full-write-ceiling.sql` with its psql lines turned into SQL. */
export async function embeddedFullWrite(
  file: string,
  rows: number,
  variables: Record<string, string>,
): Promise<number> {
  const client = await freshDatabase(variables.structure_id!);
  const script = readFileSync(path.join(REPO_ROOT, 'bench', 'full-write-ceiling.sql'), 'utf8')
    .replace(/^\\set .*$/gm, '')
    .replace(/:'(\w+)'/g, (_match, name: string) => `'${variables[name]!.replace(/'/g, "''")}'`);
  const [before, after] = script.split(/^\\copy .*$/m);
  const blob = blobOf(file, rows);
  const startedAt = process.hrtime.bigint();
  await client.exec(before!);
  await client.query(`copy ceiling_rows from '/dev/blob' with (format csv)`, [], { blob });
  await client.exec(after!);
  const elapsed = seconds(startedAt);
  await client.close();
  return elapsed;
}
