import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import supertest from 'supertest';
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from '../src/platform/heap-tuning';

/**
 * The real server (`node dist/server.js`, started as `npm start` starts it) in a process of its
 * own, for the tests that are about the process itself: that it stays up (how much memory it
 * takes is measured by bench/). Tests that are about the API build the app in their own process
 * (harness.ts).
 */
export interface ServerProcess {
  readonly http: ReturnType<typeof supertest>;
  readonly operatorKey: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '..');

/**
 * A port no other jest worker probes: a probe frees its port before the server takes it, so two
 * workers probing the same range could both pick it, and one would talk to the other's server.
 * `BALISE_TEST_PORT_BASE` moves the whole range, for two checkouts testing on one machine.
 */
async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const base = Number(process.env.BALISE_TEST_PORT_BASE ?? '4300');
  const first = base + ((worker - 1) % 10) * 10;
  for (let port = first; port < first + 10; port += 1) {
    const probe = createServer();
    const isFree = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (isFree) {
      await new Promise((resolve) => probe.close(resolve));
      return port;
    }
  }
  throw new Error(`no free port in ${first}–${first + 9}`);
}

/** Waits, a bounded time, until `condition` holds; `describe` says what the failure message shows. */
export async function eventually(
  condition: () => Promise<boolean>,
  describe: () => string = () => '',
  timeoutMs = 30_000,
): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await condition().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the awaited condition never held${describe() ? `:\n${describe()}` : ''}`);
}

/** Compiles `dist/` and starts the server over `databaseUrl`, with the Node.js options and malloc setting `npm start` passes. */
export async function startServerProcess(
  databaseUrl: string,
  environment: Record<string, string> = {},
): Promise<ServerProcess> {
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  const port = await freePort();
  const operatorKey = `blk_test_${randomBytes(24).toString('base64url')}`;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(ROOT, 'dist', 'server.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...SERVER_ENVIRONMENT,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      BALISE_BOOTSTRAP_API_KEY: operatorKey,
      LOG_LEVEL: 'warn',
      BALISE_JOBS_POLL_MS: '100',
      BALISE_LIFECYCLE_SCHEDULE_ENABLED: 'false',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const http = supertest(`http://127.0.0.1:${port}`);
  await eventually(
    async () => (await http.get('/health/ready')).status === 200,
    () => output.slice(-4000),
    120_000,
  );
  return {
    http,
    operatorKey,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
