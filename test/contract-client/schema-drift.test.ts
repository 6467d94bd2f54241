import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const SCHEMA_FILE = path.join(__dirname, 'schema.d.ts');

describe('the committed client types (test/contract-client/schema.d.ts)', () => {
  it('are what openapi-typescript generates from openapi/openapi.json (run `npm run openapi:client`)', async () => {
    // The same command as `npm run openapi:client`, to stdout: one generator, one output.
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'openapi/openapi.json'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stdout).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});
