import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { migrateDatabase, openDatabase } from '../src/db/database';

/**
 * The repository's root: the nearest folder above with the migrations (a package.json alone is not
 * enough: tsc copies it into the output). This file runs from `scripts/` under jest and from
 * `scripts/.work/dist/scripts/` once compiled.
 */
function repositoryRoot(from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'migrations', 'meta', '_journal.json'))) return directory;
    if (path.dirname(directory) === directory) throw new Error(`no migrations folder above ${from}`);
  }
}

const ROOT = repositoryRoot(__dirname);
export const OPENAPI_FILE = path.join(ROOT, 'openapi', 'openapi.json');

/** The committed contract's exact text: the drift check compares against the same rendering. */
export const renderOpenapi = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

/** `npm run openapi`: writes the contract generated from the routes (over a throwaway in-memory database). */
async function writeOpenapi(): Promise<void> {
  const config = loadConfig({ BALISE_DATA_DIR: 'memory://', BALISE_JOBS_ENABLED: 'false', LOG_LEVEL: 'silent' });
  // Migrated here, from the repository's folder: compiled outside dist/, the app would look for it elsewhere.
  const database = await openDatabase(config.database);
  await migrateDatabase(database, path.join(ROOT, 'migrations'));
  const app = await buildApp({ config, logger: false, database });
  await app.ready();
  mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, renderOpenapi(app.swagger()));
  await app.close();
  await database.close();
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}

if (require.main === module) {
  writeOpenapi().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
