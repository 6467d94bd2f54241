import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../app';
import { loadConfig } from '../../config/config';

export const OPENAPI_FILE = path.join(__dirname, '..', '..', '..', 'openapi', 'openapi.json');

/** The committed contract's exact text: the drift check compares against the same rendering. */
export const renderOpenapi = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

/** `npm run openapi`: writes the contract generated from the routes (over a throwaway in-memory database). */
async function writeOpenapi(): Promise<void> {
  const config = loadConfig({ BALISE_DATA_DIR: 'memory://', BALISE_JOBS_ENABLED: 'false', LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, logger: false });
  await app.ready();
  mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, renderOpenapi(app.swagger()));
  await app.close();
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}

if (require.main === module) {
  writeOpenapi().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
