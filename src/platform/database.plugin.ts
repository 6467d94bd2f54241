import fp from 'fastify-plugin';
import type { Config } from '../config/config';
import { migrateDatabase, openDatabase, type Database, type DatabaseHandle } from '../db/database';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    database: DatabaseHandle;
  }
}

export interface DatabasePluginOptions {
  config: Config['database'];
  /** Tests hand in a database they prepared (fresh, migrated) and close it themselves. */
  handle?: DatabaseHandle;
}

/** Opens PGlite or the pg pool, applies migrations, and closes it when the app closes. */
export const databasePlugin = fp<DatabasePluginOptions>(
  async (app, options) => {
    const ownsHandle = options.handle === undefined;
    const handle =
      options.handle ??
      (await openDatabase(options.config, (error) => app.log.warn({ err: error }, 'a database connection was lost')));
    if (ownsHandle) await migrateDatabase(handle);
    app.decorate('database', handle);
    app.decorate('db', handle.db);
    app.addHook('onClose', async () => {
      if (ownsHandle) await handle.close();
    });
    app.log.info(
      { backend: handle.kind, ...(options.config.kind === 'pglite' ? { dataDir: options.config.dataDir } : {}) },
      'database ready',
    );
  },
  { name: 'database' },
);
