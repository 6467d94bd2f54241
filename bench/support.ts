import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from '../src/platform/heap-tuning';

/** Shared plumbing of the benchmarks: a fresh PostgreSQL database, child processes, RSS, results. */
export const SERVER_URL = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Compiled to bench/.work/dist/bench/: four levels up is the repository.
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export async function createBenchDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now()}`;
  await withClient(SERVER_URL, (client) => client.query(`create database ${name}`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withClient(SERVER_URL, (client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The Node.js options the server runs with in production (`SERVER_NODE_FLAGS`, with
 * `SERVER_ENVIRONMENT`): every server a benchmark starts, the ceilings included, runs with them.
 */
const SERVER_NODE_OPTIONS = [
  ...SERVER_NODE_FLAGS,
  // BENCH_PROFILE_DIR: a CPU profile of each server started, written there when it stops.
  ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
];

/** Starts a Node.js script as a child process and waits (up to 90 s: migrations on a loaded machine) until `readyUrl` answers 200. */
export async function startProcess(script: string, env: NodeJS.ProcessEnv, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, script], {
    env: { ...process.env, ...SERVER_ENVIRONMENT, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // 90 s by default (migrations on a loaded machine outlast 20 s); BENCH_READY_SECONDS for more.
  const attempts = Number(process.env.BENCH_READY_SECONDS ?? 90) * 10;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      const response = await fetch(readyUrl);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${script} did not become ready at ${readyUrl}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Peak resident set size of a process so far (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** Replaces (or appends) the section between `<!-- name -->` markers of bench/RESULTS.md. */
export function writeResultsSection(name: string, markdown: string): void {
  const file = path.join(REPO_ROOT, 'bench', 'RESULTS.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmark results\n\nWritten by the scripts in `bench/` (see bench/README.md).\n';
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  writeFileSync(
    file,
    pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`,
  );
}

/**
 * The section a benchmark writes for the Node.js it runs on: CI and development machines run
 * Node.js 20 and 22, the Docker image 22, and the two differ (V8 11 spreads wide objects slowly).
 */
export const perNodeSection = (name: string) => `${name}-node${process.versions.node.split('.')[0]}`;

export function machineLine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** The API as production runs it, reached over HTTP with an operator key, and a structure to fill. */
export interface BenchApi {
  readonly process: ChildProcess;
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  readonly structureId: string;
  /** The structure's MSSanté domain, fresh for each run. */
  readonly domain: string;
}

/**
 * Starts `dist/server.js` over `databaseUrl` (jobs off, a pool of 10, unless `environment` says
 * otherwise), with `key` as its bootstrap operator key, and creates one structure through the API
 * for the benchmark to seed.
 */
export async function startBenchApi(
  databaseUrl: string,
  port: number,
  key: string,
  environment: NodeJS.ProcessEnv = {},
): Promise<BenchApi> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: databaseUrl,
    BALISE_BOOTSTRAP_API_KEY: key,
    LOG_LEVEL: 'warn',
    BALISE_JOBS_ENABLED: 'false',
    PORT: String(port),
    DATABASE_POOL_SIZE: '10',
    ...environment,
  };
  const child = await startProcess(path.join(REPO_ROOT, 'dist', 'server.js'), env, `${baseUrl}/health/ready`);
  const headers = { authorization: `Bearer ${key}` };
  const domain = `bench${Date.now()}.mssante.fr`;
  const created = await fetch(`${baseUrl}/v1/structures`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', domains: [domain] }),
  });
  if (created.status !== 201) {
    child.kill();
    throw new Error(`creating the bench structure: ${created.status} ${await created.text()}`);
  }
  const structure = (await created.json()) as { id: string };
  return { process: child, baseUrl, headers, structureId: structure.id, domain };
}
