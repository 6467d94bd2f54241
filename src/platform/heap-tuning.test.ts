import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import {
  collectStartUpGarbage,
  leaveYoungGenerationsToWorkers,
  SERVER_ENVIRONMENT,
  SERVER_NODE_FLAGS,
} from './heap-tuning';
import { startModuleWorker } from './workers/start-module-worker';

/**
 * A worker that makes short-lived garbage, as a parser does, then reports the size its new space
 * (the young generation's two semi-spaces) grew to, in MB.
 */
const REPORT_NEW_SPACE = `
const { parentPort } = require('node:worker_threads');
const { getHeapSpaceStatistics } = require('node:v8');
let recent = [];
for (let index = 0; index < 3e6; index += 1) {
  recent.push({ index, text: 'cell ' + index });
  if (recent.length > 20000) recent = [];
}
const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
parentPort.postMessage(newSpace.space_size / 1024 / 1024);
`;

describe('leaveYoungGenerationsToWorkers', () => {
  let folder: string;
  let reporter: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'balise-heap-'));
    reporter = path.join(folder, 'report-new-space.js');
    await writeFile(reporter, REPORT_NEW_SPACE);
  });

  afterAll(async () => {
    leaveYoungGenerationsToWorkers();
    await rm(folder, { recursive: true, force: true });
  });

  async function newSpaceOfWorker(maxYoungGenerationSizeMb: number): Promise<number> {
    const worker = startModuleWorker(reporter, { workerData: null, resourceLimits: { maxYoungGenerationSizeMb } });
    const [megabytes] = (await once(worker, 'message')) as [number];
    await worker.terminate();
    return megabytes;
  }

  it('gives a worker the young generation it asks for once the start-up flag is cleared', async () => {
    // What `npm start` passes: the flag then overrides what any worker asks for.
    setFlagsFromString('--max-semi-space-size=8');
    expect(await newSpaceOfWorker(6)).toBe(16);

    leaveYoungGenerationsToWorkers();
    expect(await newSpaceOfWorker(6)).toBeLessThanOrEqual(4);
  });
});

describe('collectStartUpGarbage', () => {
  it('collects what start-up left behind', () => {
    let startUp: unknown[] | undefined = Array.from({ length: 300_000 }, (_, index) => ({
      index,
      text: `row ${index}`,
    }));
    const before = getHeapStatistics().used_heap_size;
    startUp = undefined;
    collectStartUpGarbage();
    expect(startUp).toBeUndefined();
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 10 * 1024 * 1024);
  });
});

describe('the server process settings', () => {
  const root = path.join(__dirname, '..', '..');
  const environment = Object.entries(SERVER_ENVIRONMENT).map(([name, value]) => `${name}=${value}`);

  it('are the ones `npm start` passes', async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.start).toContain(
      [...environment, 'node', ...SERVER_NODE_FLAGS, 'dist/server.js'].join(' '),
    );
  });

  it('are the ones the Docker image starts the server with', async () => {
    const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(
      `CMD ${JSON.stringify(['node', ...SERVER_NODE_FLAGS, 'dist/server.js']).replace(/","/g, '", "')}`,
    );
    const variables = dockerfile.match(/^ENV (.+)$/m)![1]!.split(' ');
    expect(variables).toEqual(expect.arrayContaining(environment));
  });
});
