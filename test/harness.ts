import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import supertest from 'supertest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../src/db/database';
import type { JobRunnerOptions } from '../src/platform/jobs/job-runner';
import type { Clock } from '../src/shared/clock';

/**
 * Every test file runs over a database of its own with the real migrations: an in-memory PGlite
 * by default, or a fresh database on the PostgreSQL server named by DATABASE_URL (CI runs both).
 */
export async function openTestDatabase(options: { migrationsFolder?: string } = {}): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await migrateDatabase(handle, options.migrationsFolder);
    return handle;
  }
  const name = `balise_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 10, connectTimeoutSeconds: 5 });
  await migrateDatabase(handle, options.migrationsFolder);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await withAdminClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestApp {
  app: FastifyInstance;
  http: ReturnType<typeof supertest>;
  database: DatabaseHandle;
  /** The bootstrap operator key's secret. */
  operatorKey: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  jobRunner?: JobRunnerOptions;
  environment?: NodeJS.ProcessEnv;
  /** Lets a test add routes or hooks (e.g. one that crashes) before the app is ready. */
  beforeReady?: (app: FastifyInstance) => void;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const operatorKey = `blk_test_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig({
    BALISE_BOOTSTRAP_API_KEY: operatorKey,
    BALISE_JOBS_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    // Every test request comes from one address; the rate limit has its own tests.
    BALISE_PUBLIC_RATE_LIMIT: '1000000',
    ...options.environment,
  });
  const app = await buildApp({ config, database, clock: options.clock, logger: false, jobRunner: options.jobRunner });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    http: supertest(app.server),
    database,
    operatorKey,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
