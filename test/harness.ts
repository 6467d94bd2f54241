import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { readFileSync } from 'node:fs';
import { migrateDatabase, openDatabase, openEmbeddedDatabase, type DatabaseHandle } from '../src/db/database';
import { databaseUrl, RUN_DATABASES, withAdminClient } from './migrated-database';
import type { JobRunnerOptions } from '../src/platform/jobs/job-runner';
import type { Clock } from '../src/shared/clock';
import { contractMismatches } from './contract-check';

/**
 * Every test file runs over a database of its own with the real migrations: an in-memory PGlite
 * by default, or a fresh database on the PostgreSQL server named by DATABASE_URL (CI runs both).
 * Each starts as a copy of the run's migrated database (test/migrated-database.ts), unless the test
 * brings migrations of its own.
 */
export async function openTestDatabase(options: { migrationsFolder?: string } = {}): Promise<DatabaseHandle> {
  const ownMigrations = options.migrationsFolder !== undefined;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dump = runDatabase(ownMigrations ? RUN_DATABASES.emptyPglite : RUN_DATABASES.migratedPglite);
    const handle = await openEmbeddedDatabase('memory://', new Blob([readFileSync(dump)]));
    if (ownMigrations) await migrateDatabase(handle, options.migrationsFolder);
    return handle;
  }
  const template = ownMigrations ? undefined : runDatabase(RUN_DATABASES.migratedTemplate);
  const name = `balise_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) =>
    client.query(`create database ${name}${template === undefined ? '' : ` template ${template}`}`),
  );
  const handle = await openDatabase({
    kind: 'postgres',
    url: databaseUrl(serverUrl, name),
    poolSize: 10,
    connectTimeoutSeconds: 5,
    idleTimeoutSeconds: 10,
  });
  if (ownMigrations) await migrateDatabase(handle, options.migrationsFolder);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await withAdminClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** What Jest's global setup made for this run (test/migrated-database.ts), which every test file starts from. */
function runDatabase(variable: (typeof RUN_DATABASES)[keyof typeof RUN_DATABASES]): string {
  const value = process.env[variable];
  if (value === undefined)
    throw new Error(`${variable} is not set: run the tests through jest.config.js's global setup`);
  return value;
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
  const testRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) testRoutes.add(`${method} ${route.url}`);
  });
  options.beforeReady?.(app);
  checkResponsesAgainstContract(app, testRoutes);
  await app.ready();
  return {
    app,
    http: supertest(app.server),
    database,
    operatorKey,
    close: async () => {
      await app.close();
      await database.close();
      failOnContractMismatches();
    },
  };
}

/** Mismatches found since the last check, failed by the test during which they were met. */
const contractMismatchesFound: string[] = [];

/** The mismatches found so far, which no longer fail the test (for the checker's own tests). */
export const takeContractMismatches = (): string[] => contractMismatchesFound.splice(0);

function failOnContractMismatches(): void {
  const found = takeContractMismatches();
  if (found.length > 0)
    throw new Error(
      `responses that do not match openapi/openapi.json:\n- ${found.join('\n- ')}\n` +
        'Declare what the server does in the route schema (then npm run openapi), or fix the server.',
    );
}

if (typeof afterEach === 'function') afterEach(failOnContractMismatches);

/**
 * Every response of every test is checked against the committed contract (test/contract-check.ts)
 * as it leaves, by the last onSend hook. Exempt: routes hidden from the contract (/docs,
 * /openapi.json) and the routes the test itself added in `beforeReady`.
 */
function checkResponsesAgainstContract(app: FastifyInstance, testRoutes: Set<string>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.is404 ? undefined : request.routeOptions.url;
    if (route !== undefined && (request.routeOptions.schema?.hide || testRoutes.has(`${request.method} ${route}`)))
      return payload;
    // A stream (a download) is not read; no payload at all is no body.
    const body =
      payload === undefined || payload === null
        ? null
        : typeof payload === 'string' || Buffer.isBuffer(payload)
          ? payload
          : undefined;
    const exchange = { method: request.method, route, status: reply.statusCode, headers: reply.getHeaders(), body };
    try {
      const mismatches = await contractMismatches(exchange);
      for (const mismatch of mismatches)
        contractMismatchesFound.push(`${request.method} ${route ?? request.url} → ${reply.statusCode}: ${mismatch}`);
    } catch (error) {
      contractMismatchesFound.push(`${request.method} ${route ?? request.url}: the check failed: ${String(error)}`);
    }
    return payload;
  });
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
