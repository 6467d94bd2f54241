import { ConfigError, loadConfig } from '../config/config';
import { migrateDatabase, openDatabase } from './database';

/**
 * `npm run db:migrate`: applies the committed migrations to the configured database and exits.
 * The server does the same at start-up; this is for a deployment that migrates before it rolls
 * out new processes.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const handle = await openDatabase(config.database);
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  console.log(
    config.database.kind === 'postgres' ? 'PostgreSQL is migrated' : `PGlite in ${config.database.dataDir} is migrated`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
