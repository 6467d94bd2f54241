import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Run by each worker before the module it starts. A worker is a fresh Node.js instance: it
 * knows nothing of how the parent loaded its code.
 * - From dist/ (`npm start`, Docker), the module is compiled JavaScript: it is simply required.
 * - Under jest, the sources are TypeScript that @swc/jest compiles in the test process's memory
 *   only. The worker then compiles each .ts file it requires with @swc/core, the compiler jest
 *   itself uses, through a require hook. @swc/core is a development dependency, needed only
 *   where the .ts files are run, never in production.
 * Plain CommonJS, evaluated as is: it cannot itself be a .ts module.
 */
const BOOTSTRAP = `
const { createRequire } = require('node:module');
const { readFileSync } = require('node:fs');
const entry = process.argv[2];
const requireFromEntry = createRequire(entry);
if (entry.endsWith('.ts')) {
  const { transformSync } = requireFromEntry('@swc/core');
  requireFromEntry.extensions['.ts'] = (module, filename) => {
    const options = { filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } };
    module._compile(transformSync(readFileSync(filename, 'utf8'), options).code, filename);
  };
}
requireFromEntry(entry);
`;

/** The module `name` beside `callerFilename`, with the caller's own extension (.ts under jest, .js in dist/). */
export function siblingModule(callerFilename: string, name: string): string {
  return path.join(path.dirname(callerFilename), `${name}${path.extname(callerFilename)}`);
}

export interface ModuleWorkerOptions {
  workerData: unknown;
  resourceLimits?: ResourceLimits;
  /** The worker's own environment (it starts with a copy of the process's). */
  env?: NodeJS.ProcessEnv;
}

/** Starts a worker thread running `modulePath` (see `siblingModule`), compiled or not. */
export function startModuleWorker(modulePath: string, options: ModuleWorkerOptions): Worker {
  const { workerData, resourceLimits, env } = options;
  return new Worker(BOOTSTRAP, { eval: true, argv: [modulePath], workerData, resourceLimits, env });
}
