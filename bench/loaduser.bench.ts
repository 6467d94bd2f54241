import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  readFileSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { parse } from 'fast-csv';
import { embeddedCopy, embeddedFullWrite, migrateEmbeddedFolder } from './embedded-ceilings';
import { benchRow, writeBenchFile, type BenchRow } from './loaduser-data';
import {
  createBenchDatabase,
  machineLine,
  perNodeSection,
  peakRssMb,
  REPO_ROOT,
  startProcess,
  stopProcess,
  writeResultsSection,
} from './support';

/**
 * The loaduser benchmark: a generated loaduser of BENCH_ROWS (100,000) PER rows, each with an RPPS
 * and an MSSanté address, imported end to end through the HTTP API (upload, job, validation,
 * batched writes, audit) in CSV and in XLSX on real PostgreSQL, next to a plain COPY of the same
 * rows into the same table and the bare parse of the same files; then exports of the 100,000
 * boxes. Each measured API run is a fresh server process, whose peak RSS (VmHWM) is reported.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
/** The embedded backend (PGlite) is measured on the first rows only: its search-terms triggers make it many times slower. */
const EMBEDDED_ROWS = Math.min(ROWS, Number(process.env.BENCH_EMBEDDED_ROWS ?? 10_000));
const PORT = Number(process.env.BENCH_PORT ?? 3811);
const KEY = 'blk_bench_loaduser_key_0123456789abcdef';
const DOMAIN = 'bench-hopital.mssante.fr';
const WORK = path.join(REPO_ROOT, 'bench', '.work', 'loaduser');
const BASE = `http://127.0.0.1:${PORT}`;
const headers = { authorization: `Bearer ${KEY}` };

const seconds = (startedAt: bigint) => Number(process.hrtime.bigint() - startedAt) / 1e9;
const rate = (rows: number, elapsed: number) => Math.round(rows / elapsed);

/** The measured server left to V8's own heap growth (the server bounds it by default: src/platform/heap-tuning.ts). */
const V8_HEAP_GROWTH = { BALISE_HEAP_GROWING_PERCENT: '0' };

async function startApi(databaseUrl: string, extraEnv: Record<string, string> = {}) {
  const env = {
    DATABASE_URL: databaseUrl,
    BALISE_BOOTSTRAP_API_KEY: KEY,
    LOG_LEVEL: 'warn',
    PORT: String(PORT),
    BALISE_JOBS_POLL_MS: '100',
    BALISE_JOBS_CONCURRENCY: '1',
    BALISE_UPLOAD_MAX_BYTES: String(200 * 1024 * 1024),
    // Periodic work that is not what is measured: the lifecycle sweep, and the directory refresh, which on start-up
    // evaluates every box of the database (its memory is measured by alimentation-report.bench.ts).
    BALISE_LIFECYCLE_SCHEDULE_ENABLED: 'false',
    BALISE_DIRECTORY_REFRESH_MINUTES: '0',
    ...extraEnv,
  };
  return startProcess(path.join(REPO_ROOT, 'dist', 'server.js'), env, `${BASE}/health/ready`);
}

async function createStructure(): Promise<string> {
  const response = await fetch(`${BASE}/v1/structures`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', domains: [DOMAIN] }),
  });
  if (response.status !== 201) throw new Error(`structure: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

async function bareParseCsv(file: string): Promise<number> {
  let rows = 0;
  const parser = createReadStream(file).pipe(parse({ delimiter: ';' }));
  parser.on('data', () => (rows += 1));
  await finished(parser);
  return rows - 1;
}

async function bareParseXlsx(file: string): Promise<number> {
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows += 1;
    break;
  }
  return rows - 1;
}

/** A freshly migrated database holding one structure (made through the API, as an import finds it). */
async function databaseWithStructure(name: string) {
  const database = await createBenchDatabase(name);
  const api = await startApi(database.url);
  const structureId = await createStructure();
  await stopProcess(api);
  return { database, structureId };
}

/** The folded key the schema keeps beside a name (`last_name_key`…), as the import computes it. */
const foldedKey = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A row's person, as both ceilings' files give it: last name to phone, in the schema's column order. */
const personCells = (row: BenchRow, index: number) => [
  row.lastName,
  row.firstName,
  foldedKey(row.lastName),
  foldedKey(row.firstName),
  index % 2 ? 'M' : 'MME',
  '10',
  'C',
  row.rpps,
  'Centre hospitalier Bench',
  row.service,
  row.postalCode,
  row.city,
  row.phone,
];

/** Writes the ROWS bench rows as CSV lines (no header), each made of `cellsOf`'s cells. */
async function writeRowsFile(file: string, cellsOf: (row: BenchRow, index: number) => unknown[]): Promise<void> {
  const out = createWriteStream(file);
  for (let index = 0; index < ROWS; index += 1) {
    const line = `${cellsOf(benchRow(index), index).join(',')}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** COPY … FROM STDIN (psql's \copy) of the same rows into `mailboxes` of a freshly migrated database. */
async function copyBaseline(): Promise<CeilingRun> {
  const { database, structureId } = await databaseWithStructure('balise_bench_copy');
  const file = path.join(WORK, 'mailboxes-copy.csv');
  const now = new Date().toISOString();
  await writeRowsFile(file, (row, index) => [
    randomUUID(),
    structureId,
    'PER',
    row.email,
    row.email,
    'preregistered',
    ...personCells(row, index),
    't',
    'f',
    now,
    now,
  ]);
  const columns =
    'id, structure_id, type, email, email_key, status, last_name, first_name, last_name_key, first_name_key, civility, profession, ' +
    'profession_category, rpps, organisation_name, service, postal_code, city, phone, paperless, is_test, created_at, updated_at';
  const startedAt = process.hrtime.bigint();
  const result = spawnSync(
    'psql',
    [database.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy mailboxes (${columns}) from '${file}' with (format csv)`],
    { encoding: 'utf8' },
  );
  const elapsed = seconds(startedAt);
  if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
  await database.drop();
  const embedded = await embeddedCopy(file, EMBEDDED_ROWS, columns, structureId);
  return { elapsed, embedded };
}

/** A ceiling's time on PostgreSQL (through psql) and on the embedded backend (PGlite, in this process). */
interface CeilingRun {
  elapsed: number;
  embedded: number;
}

/**
 * The full-write ceiling (issue 20): `bench/full-write-ceiling.sql` run by psql on a freshly migrated
 * database. It COPYs the parsed rows (with the ids and token hashes the import makes in the process)
 * into an unlogged staging table, then writes set-based, with every index of the schema, what the
 * import writes for a created box: the box, its address, its audit event with its feed row, its
 * row outcome. Timed from psql's start to its end, COPY included.
 */
async function fullWriteCeiling(): Promise<CeilingRun> {
  const { database, structureId } = await databaseWithStructure('balise_bench_ceiling');
  const file = path.join(WORK, 'ceiling-rows.csv');
  await writeRowsFile(file, (row, index) => [
    index + 2,
    randomUUID(),
    createHash('sha256').update(randomBytes(32).toString('base64url')).digest('hex'),
    row.email,
    ...personCells(row, index),
    't',
    row.localPart,
    DOMAIN,
  ]);
  const variables = { structure_id: structureId, import_id: randomUUID(), actor_id: 'bench' };
  const startedAt = process.hrtime.bigint();
  const result = spawnSync(
    'psql',
    [
      database.url,
      ...Object.entries(variables).flatMap(([name, value]) => ['-v', `${name}=${value}`]),
      '-f',
      path.join(REPO_ROOT, 'bench', 'full-write-ceiling.sql'),
    ],
    { encoding: 'utf8', stdio: [openSync(file, 'r'), 'pipe', 'pipe'] },
  );
  const elapsed = seconds(startedAt);
  if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
  console.log(result.stdout.trim());
  await database.drop();
  const embedded = await embeddedFullWrite(file, EMBEDDED_ROWS, { ...variables, import_id: randomUUID() });
  return { elapsed, embedded };
}

interface ImportMeasure {
  elapsed: number;
  validation: number;
  rss: number;
  counts: Record<string, number>;
  status: string;
  /** The problem's code of a failed import. */
  code: string | null;
}

async function runImport(structureId: string, file: string, name: string): Promise<Omit<ImportMeasure, 'rss'>> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), name);
  const startedAt = process.hrtime.bigint();
  const response = await fetch(`${BASE}/v1/structures/${structureId}/imports`, { method: 'POST', headers, body: form });
  if (response.status !== 202) throw new Error(`upload: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  let validation = NaN;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = (await (await fetch(`${BASE}/v1/imports/${id}`, { headers })).json()) as {
      status: string;
      counts: Record<string, number>;
      progress: { phase: string };
      error: { code?: string } | null;
    };
    if (Number.isNaN(validation) && current.progress.phase !== 'queued' && current.progress.phase !== 'validating')
      validation = seconds(startedAt);
    if (current.status === 'succeeded' || current.status === 'failed') {
      if (current.status === 'failed') console.error(current.error);
      const code = current.error?.code ?? null;
      return { elapsed: seconds(startedAt), validation, counts: current.counts, status: current.status, code };
    }
  }
}

/** A fresh server on a fresh database, one import, the server's peak RSS. */
async function measureImport(format: 'csv' | 'xlsx', file: string, extraEnv: Record<string, string> = {}) {
  const database = await createBenchDatabase(`balise_bench_import_${format}`);
  const api = await startApi(database.url, extraEnv);
  const structureId = await createStructure();
  const measured = await runImport(structureId, file, `loaduser.${format}`);
  const rss = peakRssMb(api.pid!);
  await stopProcess(api);
  console.log(`import ${format} ${JSON.stringify(extraEnv)}`, measured, `${rss} MB`);
  return { ...measured, rss, database, structureId };
}

/**
 * The embedded backend: a fresh server on a fresh PGlite database in a temporary folder (what a
 * deployment without DATABASE_URL runs), one CSV import.
 */
async function measureEmbeddedImport(file: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'balise-bench-pglite-'));
  try {
    await migrateEmbeddedFolder(dataDir);
    const api = await startApi('', { BALISE_DATA_DIR: dataDir });
    const structureId = await createStructure();
    const measured = await runImport(structureId, file, 'loaduser.csv');
    const rss = peakRssMb(api.pid!);
    await stopProcess(api);
    console.log('import csv on PGlite', measured, `${rss} MB`);
    return { ...measured, rss };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh server, one export streamed to disk, the server's peak RSS. */
async function measureExport(databaseUrl: string, structureId: string, format: 'csv' | 'xlsx') {
  const api = await startApi(databaseUrl);
  const file = path.join(WORK, `export.${format}`);
  const startedAt = process.hrtime.bigint();
  const response = await fetch(`${BASE}/v1/structures/${structureId}/mailboxes/export?format=${format}`, { headers });
  const out = createWriteStream(file);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  const elapsed = seconds(startedAt);
  const rss = peakRssMb(api.pid!);
  await stopProcess(api);
  console.log(`export ${format}`, elapsed, `${rss} MB`, statSync(file).size);
  return { elapsed, rss, file, bytes: statSync(file).size };
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const files = {
    csv: path.join(WORK, 'loaduser.csv'),
    xlsx: path.join(WORK, 'loaduser.xlsx'),
    embeddedCsv: path.join(WORK, 'loaduser-embedded.csv'),
  };
  await writeBenchFile(files.csv, 'csv', ROWS, DOMAIN);
  await writeBenchFile(files.embeddedCsv, 'csv', EMBEDDED_ROWS, DOMAIN);
  await writeBenchFile(files.xlsx, 'xlsx', ROWS, DOMAIN);

  if (process.env.BENCH_ONLY === 'import') {
    // One import alone (BENCH_FORMAT, csv by default): its time and its server's peak memory, without the ceilings.
    const format = process.env.BENCH_FORMAT === 'xlsx' ? 'xlsx' : 'csv';
    await (await measureImport(format, files[format])).database.drop();
    return;
  }
  const parse = { csv: NaN, xlsx: NaN };
  for (const format of ['csv', 'xlsx'] as const) {
    const startedAt = process.hrtime.bigint();
    const rows = format === 'csv' ? await bareParseCsv(files.csv) : await bareParseXlsx(files.xlsx);
    parse[format] = seconds(startedAt);
    if (rows !== ROWS) throw new Error(`bare parse of ${format} read ${rows} rows`);
  }
  console.log('bare parse', parse);
  const copy = await copyBaseline();
  console.log('copy', copy);
  const fullWrite = await fullWriteCeiling();
  console.log('full-write ceiling', fullWrite);
  if (process.env.BENCH_ONLY === 'ceilings') return;
  if (process.env.BENCH_ONLY === 'reimport') {
    // The re-import alone, after the import and export it needs (BENCH_PROFILE_DIR profiles each server).
    const imported = await measureImport('csv', files.csv);
    const exported = await measureExport(imported.database.url, imported.structureId, 'csv');
    const api = await startApi(imported.database.url);
    console.log(
      're-import',
      await runImport(imported.structureId, exported.file, 'export.csv'),
      'bare parse',
      parse.csv,
    );
    await stopProcess(api);
    await imported.database.drop();
    return;
  }
  if (process.env.BENCH_ONLY === 'embedded') {
    console.log(await measureEmbeddedImport(files.embeddedCsv));
    return;
  }
  const csvImport = await measureImport('csv', files.csv);
  const xlsxImport = await measureImport('xlsx', files.xlsx);
  await xlsxImport.database.drop();
  const unbounded = {
    csv: await measureImport('csv', files.csv, V8_HEAP_GROWTH),
    xlsx: await measureImport('xlsx', files.xlsx, V8_HEAP_GROWTH),
  };
  await unbounded.csv.database.drop();
  await unbounded.xlsx.database.drop();
  const csvExport = await measureExport(csvImport.database.url, csvImport.structureId, 'csv');
  const xlsxExport = await measureExport(csvImport.database.url, csvImport.structureId, 'xlsx');
  const reimportApi = await startApi(csvImport.database.url);
  const reimport = await runImport(csvImport.structureId, csvExport.file, 'export.csv');
  await stopProcess(reimportApi);
  if (!process.env.BENCH_KEEP_DATABASE) await csvImport.database.drop();
  const embeddedImport = await measureEmbeddedImport(files.embeddedCsv);

  const copyRate = rate(ROWS, copy.elapsed);
  const fullWriteRate = rate(ROWS, fullWrite.elapsed);
  const embeddedRate = rate(EMBEDDED_ROWS, embeddedImport.elapsed);
  const row = (label: string, measure: ImportMeasure, parseSeconds: number, rssTarget: number) => {
    const ceiling = Math.min(fullWriteRate, rate(ROWS, parseSeconds));
    const rowsPerSecond = rate(ROWS, measure.elapsed);
    const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
    if (measure.status !== 'succeeded') {
      return `| ${label} | **${measure.status}** after ${measure.elapsed.toFixed(1)} s: \`${measure.code}\` | – | **not met** (the import failed) | ${measure.rss} MB (< ${rssTarget}): ${verdict(measure.rss < rssTarget)} | ${JSON.stringify(measure.counts)} |`;
    }
    return `| ${label} | ${measure.elapsed.toFixed(1)} s (validated at ${measure.validation.toFixed(1)} s) | ${rowsPerSecond} | ${Math.round((rowsPerSecond / ceiling) * 100)} % of ${ceiling}: ${verdict(rowsPerSecond >= 0.5 * ceiling)} | ${measure.rss} MB (< ${rssTarget}): ${verdict(measure.rss < rssTarget)} | ${JSON.stringify(measure.counts)} |`;
  };
  writeResultsSection(
    perNodeSection('loaduser'),
    `
## Loaduser import and exports on Node.js ${process.versions.node.split('.')[0]}

${machineLine()}; PostgreSQL 15 on 127.0.0.1 (same 2 cores, shared with other work at the time); ${ROWS.toLocaleString('en')} generated PER rows
(names with accents, RPPS with its key, phone, postal code, MSSanté address on the structure's domain): CSV ${(statSync(files.csv).size / 1e6).toFixed(1)} MB,
XLSX ${(statSync(files.xlsx).size / 1e6).toFixed(1)} MB. Run: \`npm run build && npx tsc -p tsconfig.bench.json && node bench/.work/dist/bench/loaduser.bench.js\`
(\`BENCH_ROWS\` to change the size). Each API measure is a fresh \`dist/server.js\` process on a fresh database (\`onError=abort\`, batches of 1,000, the default);
the time runs from the upload to the import's \`succeeded\`, polled every 250 ms; RSS is the server's VmHWM. The server's periodic
lifecycle sweep and directory refresh are off (not what is measured).

Ceilings measured in the same run: COPY of the same rows into \`mailboxes\` (\`COPY … FROM STDIN\` through psql's \`\\copy\`, fresh migrated
database, all indexes): ${copy.elapsed.toFixed(2)} s, **${copyRate} rows/s**; the full-write ceiling (\`bench/full-write-ceiling.sql\` run by psql on a
fresh migrated database: COPY of the parsed rows into an unlogged staging table, then \`INSERT … SELECT\` of the boxes, their MSSanté addresses,
one audit event per box with the box as \`after\` and the import as cause and its event-feed row in the same statement, and one row outcome per row,
every index and trigger of the schema): ${fullWrite.elapsed.toFixed(2)} s, **${fullWriteRate} rows/s**; bare parse of the same files (no validation,
no database): fast-csv ${parse.csv.toFixed(2)} s (**${rate(ROWS, parse.csv)} rows/s**), exceljs streaming reader ${parse.xlsx.toFixed(2)} s
(**${rate(ROWS, parse.xlsx)} rows/s**). The imports are measured against the slower of the full-write ceiling and the file's bare parse.

| import | end to end | rows/s | of the slower ceiling (target ≥ 50 %) | server peak RSS (target) | counts |
|---|---|---|---|---|---|
${row('CSV, 100,000 new boxes', csvImport, parse.csv, 200)}
${row('XLSX, 100,000 new boxes', xlsxImport, parse.xlsx, 500)}
${row("CSV, for comparison: V8's own heap growth (`BALISE_HEAP_GROWING_PERCENT=0`)", unbounded.csv, parse.csv, 200)}
${row("XLSX, for comparison: V8's own heap growth (`BALISE_HEAP_GROWING_PERCENT=0`)", unbounded.xlsx, parse.xlsx, 500)}
| CSV export re-imported (100,000 unchanged; target ≥ 50 % of the bare parse) | ${reimport.elapsed.toFixed(1)} s | ${rate(ROWS, reimport.elapsed)} | ${Math.round((rate(ROWS, reimport.elapsed) / rate(ROWS, parse.csv)) * 100)} % of ${rate(ROWS, parse.csv)}: ${rate(ROWS, reimport.elapsed) >= 0.5 * rate(ROWS, parse.csv) ? 'met' : '**not met**'} | | ${JSON.stringify(reimport.counts)} |

Embedded backend (PGlite; no target, measured against regressions), on the first ${EMBEDDED_ROWS.toLocaleString('en')} rows of the same files, same SQL:
box-only COPY ${copy.embedded.toFixed(2)} s (**${rate(EMBEDDED_ROWS, copy.embedded)} rows/s**), full-write ceiling ${fullWrite.embedded.toFixed(2)} s
(**${rate(EMBEDDED_ROWS, fullWrite.embedded)} rows/s**), both in
this process on an in-memory database; CSV import end to end on a fresh server over a PGlite folder: ${embeddedImport.elapsed.toFixed(1)} s
(validated at ${embeddedImport.validation.toFixed(1)} s), **${embeddedRate} rows/s**, ${Math.round((embeddedRate / rate(EMBEDDED_ROWS, fullWrite.embedded)) * 100)} % of its
full-write ceiling, ${embeddedImport.rss} MB peak RSS, ${JSON.stringify(embeddedImport.counts)}.

| export of ${ROWS.toLocaleString('en')} boxes | time | size | server peak RSS | target |
|---|---|---|---|---|
| CSV | ${csvExport.elapsed.toFixed(1)} s | ${(csvExport.bytes / 1e6).toFixed(1)} MB | ${csvExport.rss} MB | < 150 MB: ${csvExport.rss < 150 ? 'met' : '**not met**'} |
| XLSX | ${xlsxExport.elapsed.toFixed(1)} s | ${(xlsxExport.bytes / 1e6).toFixed(1)} MB | ${xlsxExport.rss} MB | < 300 MB: ${xlsxExport.rss < 300 ? 'met' : '**not met**'} |

Each created box writes its row, its MSSanté address, its audit event (with the box as \`after\`) and feed event, and its import result, as the
full-write ceiling does; the box-only COPY writes the box row only.
`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
