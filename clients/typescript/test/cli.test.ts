import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { startLiveServer, type LiveServer } from './live-server';

/**
 * The `balise` binary (bin/balise.js over the compiled dist/, what `npx balise` runs), spawned as a
 * child process against a live server: its exit codes, what it prints, the files it writes.
 */
const PACKAGE = path.join(__dirname, '..');
const BIN = path.join(PACKAGE, 'bin', 'balise.js');
const FIXTURES = path.join(PACKAGE, '..', '..', 'test', 'fixtures');

let server: LiveServer;
let work: string;
/** The openpyxl fixture with one bad cell: D4, the RPPS of the fourth spreadsheet row, fails its check key. */
let badFile: string;

beforeAll(async () => {
  await buildIfStale();
  server = await startLiveServer();
  work = await mkdtemp(path.join(tmpdir(), 'balise-cli-'));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path.join(FIXTURES, 'loaduser-openpyxl.xlsx'));
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('the fixture has no sheet');
  sheet.getCell('D4').value = '10000013995';
  badFile = path.join(work, 'loaduser-one-bad-row.xlsx');
  await workbook.xlsx.writeFile(badFile);
}, 120_000);
afterAll(async () => {
  await server.test.close();
  await rm(work, { recursive: true, force: true });
});

/**
 * The binary runs the compiled package (dist/), which `npm ci` builds (the package's prepare
 * script): compiled again here only when a source is newer, as after an edit.
 */
async function buildIfStale(): Promise<void> {
  const newest = async (dir: string, suffix: string): Promise<number> => {
    const files = await readdir(dir, { recursive: true }).catch((): string[] => []);
    const times = await Promise.all(
      files.filter((file) => file.endsWith(suffix)).map(async (file) => (await stat(path.join(dir, file))).mtimeMs),
    );
    return times.length === 0 ? 0 : Math.max(...times);
  };
  const [source, built] = [
    await newest(path.join(PACKAGE, 'src'), '.ts'),
    await newest(path.join(PACKAGE, 'dist'), '.js'),
  ];
  if (built > source) return;
  const tsc = path.join(PACKAGE, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', path.join(PACKAGE, 'tsconfig.build.json')]);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `balise …` configured by its environment, as a script would; never throws on a non-zero exit. */
function balise(args: string[], environment: Record<string, string> = {}): Promise<Run> {
  return spawnBalise(process.execPath, [BIN, ...args], environment);
}

async function spawnBalise(file: string, args: string[], environment: Record<string, string> = {}): Promise<Run> {
  const env = { PATH: process.env.PATH, BALISE_URL: server.baseUrl, BALISE_API_KEY: server.adminKey, ...environment };
  return promisify(execFile)(file, args, { env, cwd: work }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Error & { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? error.message,
    }),
  );
}

/** A port nothing listens on: one the system just gave and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const ndjson = (text: string): unknown[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line): unknown => JSON.parse(line));

describe('balise import', () => {
  it('dry-runs a file with one bad row: exit 1, and --json says which cell', async () => {
    const run = await balise([
      'import',
      badFile,
      '--structure',
      server.structureId,
      '--dry-run',
      '--no-directory-visible',
      '--wait',
      '--json',
    ]);
    expect(run.code).toBe(1);
    const result: unknown = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'succeeded',
      options: { dryRun: true, directoryVisible: false },
      // Row 6 fails too: it names row 4's box as a connection account.
      counts: { failed: 2 },
    });
    expect(result).toHaveProperty(
      'failedRows',
      expect.arrayContaining([
        expect.objectContaining({ rowNumber: 4, errors: [expect.objectContaining({ row: 4, column: 'D' })] }),
      ]),
    );
    // Not a terminal: no progress bar, no control codes for a script to strip.
    expect(run.stderr).toBe('');
  });

  it('imports the good rows with --on-error skip, prints the counts and "row 4, column D", and exits 1', async () => {
    const run = await balise(['import', badFile, '--structure', server.structureId, '--on-error', 'skip', '--wait']);
    expect(run).toMatchObject({ code: 1, stderr: '' });
    expect(run.stdout).toContain('4 created, 0 updated, 0 unchanged, 2 failed');
    expect(run.stdout).toMatch(/row 4, column D \(.+\): .+ \[[A-Z_]+\]/);
  });

  it('exits 0 when every row goes through (the same file again: nothing to change)', async () => {
    const good = path.join(FIXTURES, 'loaduser-openpyxl.xlsx');
    const run = await balise(['import', good, '--structure', server.structureId, '--dry-run', '--wait']);
    expect(run.stdout).toMatch(/\d+ created, \d+ updated, \d+ unchanged, 0 failed/);
    expect(run.code).toBe(0);
  });

  it('draws the two progress bars when it runs on a terminal (a pseudo-terminal from script(1))', async () => {
    const command = [
      process.execPath,
      BIN,
      'import',
      badFile,
      '--structure',
      server.structureId,
      '--dry-run',
      '--wait',
    ];
    const run = await spawnBalise('script', ['-qec', command.map((word) => `'${word}'`).join(' '), '/dev/null']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\d+\/\d+ rows read/);
    expect(run.stdout).toMatch(/\d+\/\d+ rows applied/);
  });

  it('exits 2 on a usage error, an unknown structure and an unreachable server', async () => {
    const missingOption = await balise(['import', badFile]);
    expect(missingOption.code).toBe(2);
    expect(missingOption.stderr).toContain("required option '--structure <id>' not specified");

    const unknown = await balise(['import', badFile, '--structure', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: (403|404) [A-Z_]+: .+\n(.|\n)*request id: \S+/);

    const unreachable = await balise(['structures', 'list'], { BALISE_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^error: fetch failed: .*ECONNREFUSED/);

    const noKey = await balise(['structures', 'list'], { BALISE_API_KEY: '' });
    expect(noKey).toMatchObject({ code: 2, stderr: 'error: no API key: set BALISE_API_KEY or pass --api-key\n' });
  });
});

describe('the other commands', () => {
  it('lists mailboxes as NDJSON under --json, and as a table otherwise', async () => {
    const listed = await balise(['--json', 'mailboxes', 'list', '--structure', server.structureId, '--type', 'PER']);
    expect(listed.code).toBe(0);
    const boxes = ndjson(listed.stdout);
    expect(boxes).toEqual([
      expect.objectContaining({ type: 'PER', structureId: server.structureId }),
      expect.objectContaining({ type: 'PER', structureId: server.structureId }),
    ]);

    const table = await balise(['mailboxes', 'list', '--structure', server.structureId, '--q', 'l.dupont']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+EMAIL\s+NAME$/);
    expect(table.stdout).toContain('l.dupont@ch-exemple.fr');

    const first = boxes[0];
    if (typeof first !== 'object' || first === null || !('id' in first) || typeof first.id !== 'string') {
      throw new Error('a listed box has no id');
    }
    const one = await balise(['mailboxes', 'get', first.id, '--json']);
    expect(JSON.parse(one.stdout)).toEqual(first);

    // An admin key sees its own structure only.
    const structures = await balise(['structures', 'list', '--json']);
    expect(ndjson(structures.stdout)).toEqual([expect.objectContaining({ id: server.structureId })]);
  });

  it('syncs the directory, and again from the token it printed: nothing new the second time', async () => {
    const full = await balise(['directory', 'sync', '--structure', server.structureId]);
    expect(full.code).toBe(0);
    expect(ndjson(full.stdout).length).toBeGreaterThan(0);
    const token = full.stderr.trim();
    expect(token).not.toBe('');

    const again = await balise(['directory', 'sync', '--structure', server.structureId, '--since', token]);
    expect(again).toMatchObject({ code: 0, stdout: '' });

    // The token file: what a cron job keeps between two runs.
    const tokenFile = path.join(work, 'directory.token');
    await balise(['directory', 'sync', '--token-file', tokenFile]);
    const kept = await balise(['directory', 'sync', '--token-file', tokenFile]);
    expect(kept).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('writes the export, the report and the template', async () => {
    const exported = await balise(['export', '--structure', server.structureId, '--format', 'csv']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('l.dupont@ch-exemple.fr');

    const reportFile = path.join(work, 'report.json');
    expect((await balise(['report', '--structure', server.structureId, '-o', reportFile])).code).toBe(0);
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({ structureId: server.structureId });

    const templateFile = path.join(work, 'template.xlsx');
    expect((await balise(['template', '-o', templateFile])).code).toBe(0);
    // An XLSX is a ZIP archive.
    expect((await readFile(templateFile)).subarray(0, 2).toString()).toBe('PK');
  });

  it('shows help with examples on every command', async () => {
    for (const command of [
      [],
      ['import'],
      ['export'],
      ['report'],
      ['template'],
      ['mailboxes', 'list'],
      ['directory', 'sync'],
    ]) {
      const help = await balise([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples?:/);
    }
  });
});
