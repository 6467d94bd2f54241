import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateDatabase, openEmbeddedDatabase } from '../src/db/database';

/** Where the run's migrated embedded database is, for the workers (`test/harness.ts`). */
export const MIGRATED_PGLITE_VARIABLE = 'BALISE_TEST_MIGRATED_PGLITE';

/**
 * Jest's global setup: on the embedded backend, creates and migrates one PGlite database for the
 * whole run and dumps its data directory to a file. Each test file then loads that dump (about
 * 1 s) instead of running initdb and every migration again (about 6 s), a few minutes of CI.
 * Workers start after this and inherit the variable. The migrations tests still migrate by
 * themselves: they pass their own migrations folder.
 */
export default async function migratePgliteOnce(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const handle = await openEmbeddedDatabase('memory://');
  try {
    await migrateDatabase(handle);
    const file = path.join(tmpdir(), `balise-test-pglite-${process.pid}.tar`);
    writeFileSync(file, Buffer.from(await (await handle.dumpDataDir()).arrayBuffer()), { mode: 0o600 });
    process.env[MIGRATED_PGLITE_VARIABLE] = file;
  } finally {
    await handle.close();
  }
}

/** Jest's global teardown: the dump goes with the run. */
export function removeMigratedPglite(): void {
  const file = process.env[MIGRATED_PGLITE_VARIABLE];
  if (file !== undefined) rmSync(file, { force: true });
}
