import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const GENERATE = path.join(__dirname, '..', 'scripts', 'generate.js');

describe("the client's generated layer (clients/typescript/src/generated/)", () => {
  it('is what scripts/generate.js makes of openapi/openapi.json (run `npm run openapi:client`)', async () => {
    // The same script as `npm run openapi:client`, in its checking mode: one generator, one output.
    const checked = await promisify(execFile)(process.execPath, [GENERATE, '--check'], {
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      () => 'up to date',
      (error: Error & { stderr?: string }) => error.stderr ?? error.message,
    );
    expect(checked).toBe('up to date');
  });
});
