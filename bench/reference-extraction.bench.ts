import { execFile, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createBenchDatabase,
  machineLine,
  peakRssMb,
  REPO_ROOT,
  startProcess,
  stopProcess,
  withClient,
  writeResultsSection,
} from './support';
import { withLuhnKey } from '../src/domain/luhn';

/**
 * The reference benchmark: a 500,000-line file in the layout of the ANS extraction
 * (450,000 PER lines under an RPPS, 50,000 ORG lines), uploaded to the API and loaded by its job,
 * next to a plain `psql \copy` of the same file into a 31-column table. The honest measure is end
 * to end: from the start of the upload until the extraction is seen in force.
 */
const LINES = 500_000;
const API_PORT = 3812;
const KEY = 'blk_bench_operator_key_reference_012345';
const BASE = `http://127.0.0.1:${API_PORT}`;
const WORK = path.join(REPO_ROOT, 'bench', '.work');
const FILE = path.join(WORK, `extraction-${LINES}.txt`);
const execFileAsync = promisify(execFile);
const HEADER =
  "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|Identification nationale PP|Type identifiant structure|Identification Structure|Service de rattachement|Civilité d'exercice|Nom d'exercice|Prénom d'exercice|Catégorie profession|Libellé de catégorie profession|Code Profession|Libellé Profession|Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure BAL|Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION|L3COMPLEMENTDISTRIBUTION|L4NUMEROVOIE|L4COMPLEMENTNUMEROVOIE|NL4TYPEVOIE|L4LIBELLEVOIE|L5LIEUDITMENTION|L6LIGNEACHEMINEMENT|Code postal|Département|Pays";
const LAST_NAMES = [
  'LEFÈVRE',
  'DUPONT',
  'NGUYEN',
  'MARTIN',
  'BERNARD',
  'DUBOIS',
  'THOMAS',
  'ROBERT',
  'RICHARD',
  'PETIT',
  'DURAND',
  'LEROY',
  'MOREAU',
  'SIMON',
  'LAURENT',
  'LEFEBVRE',
  'MICHEL',
  'GARCIA',
  'FRANÇOIS',
  'CŒUR',
];
const FIRST_NAMES = [
  'Hélène',
  'Laurent',
  'Thi',
  'Jean',
  'Marie',
  'Pierre',
  'Anne',
  'Michel',
  'Claire',
  'Paul',
  'Sophie',
  'Louis',
  'Julie',
  'Éloïse',
  'Noël',
];
const PROFESSIONS: [string, string][] = [
  ['10', 'Médecin'],
  ['21', 'Pharmacien'],
  ['60', 'Infirmier'],
  ['40', 'Chirurgien-dentiste'],
  ['50', 'Sage-femme'],
];

async function writeExtraction(): Promise<void> {
  if (existsSync(FILE)) return;
  mkdirSync(WORK, { recursive: true });
  const out = createWriteStream(FILE);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(HEADER + '\n');
  for (let index = 1; index <= LINES; index += 1) {
    const structure = withLuhnKey(String(130000000 + (index % 5000)).slice(0, 9)).slice(0, 9);
    const tail = `O|CENTRE HOSPITALIER ${index % 5000}||||${index % 200}||R|DES LILAS||13005 MARSEILLE|13005|13|France`;
    if (index % 10 === 0) {
      await write(
        `ORG|service${index}@ch${index % 5000}.mssante.fr||||1|1${structure}|Service ${index % 40}||||||||||${tail}\n`,
      );
    } else {
      const rpps = withLuhnKey(String(1000000000 + index));
      const [code, label] = PROFESSIONS[index % PROFESSIONS.length]!;
      const last = LAST_NAMES[index % LAST_NAMES.length]!;
      const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
      await write(
        `PER|p${index}@ch${index % 5000}.mssante.fr|8|${rpps}|8${rpps}|1|1${structure}||MME|${last}|${first}|C|Civil|${code}|${label}|||${tail}\n`,
      );
    }
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Uploads the file as an operator would, with curl: a native client, like psql for the COPY it is
 * compared with. (Node.js's fetch spent up to a second of CPU encoding the multipart body, on the
 * two cores the API and PostgreSQL share with it.)
 */
async function uploadWithCurl(): Promise<{ id: string }> {
  const { stdout } = await execFileAsync(
    'curl',
    [
      '--silent',
      '--show-error',
      '--header',
      `authorization: Bearer ${KEY}`,
      '--form',
      `file=@${FILE}`,
      '--write-out',
      '\n%{http_code}',
      `${BASE}/v1/reference/extractions`,
    ],
    { maxBuffer: 1024 * 1024 },
  );
  const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
  const body = stdout.slice(0, stdout.lastIndexOf('\n'));
  if (status !== '202') throw new Error(`upload: ${status} ${body}`);
  return JSON.parse(body) as { id: string };
}

async function main(): Promise<void> {
  const generated = performance.now();
  await writeExtraction();
  console.log(`file ready in ${Math.round(performance.now() - generated)} ms: ${FILE}`);
  const bytes = statSync(FILE).size;
  const database = await createBenchDatabase('balise_bench_reference');
  try {
    const env = {
      DATABASE_URL: database.url,
      BALISE_BOOTSTRAP_API_KEY: KEY,
      LOG_LEVEL: 'warn',
      PORT: String(API_PORT),
      BALISE_JOBS_ENABLED: 'true',
      BALISE_JOBS_POLL_MS: '100',
      BALISE_JOBS_CONCURRENCY: '1',
      BALISE_LIFECYCLE_SCHEDULE_ENABLED: 'false',
      BALISE_DIRECTORY_REFRESH_MINUTES: '0',
    };
    const api = await startProcess(path.join(REPO_ROOT, 'dist', 'server.js'), env, `${BASE}/health/ready`);
    let load: { uploadMs: number; totalMs: number; jobMs: number; rows: number; linesRead: number; peak: number };
    try {
      const start = performance.now();
      const { id } = await uploadWithCurl();
      const uploadMs = Math.round(performance.now() - start);
      let extraction: {
        status: string;
        rows: number;
        linesRead: number;
        startedAt: string;
        loadedAt: string;
        error: string | null;
      };
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const polled = await fetch(`${BASE}/v1/reference/extractions/${id}`, {
          headers: { authorization: `Bearer ${KEY}` },
        });
        extraction = (await polled.json()) as typeof extraction;
        if (extraction.status === 'succeeded' || extraction.status === 'failed') break;
      }
      if (extraction.status !== 'succeeded') throw new Error(`load failed: ${extraction.error}`);
      const totalMs = Math.round(performance.now() - start);
      load = {
        uploadMs,
        totalMs,
        jobMs: Date.parse(extraction.loadedAt) - Date.parse(extraction.startedAt),
        rows: extraction.rows,
        linesRead: extraction.linesRead,
        peak: peakRssMb(api.pid!),
      };
    } finally {
      await stopProcess(api);
    }
    console.log('load', load);

    await withClient(database.url, (client) =>
      client.query(
        `create table extraction_copy (${Array.from({ length: 31 }, (_unused, index) => `c${index + 1} text`).join(', ')})`,
      ),
    );
    const copyStart = performance.now();
    // CSV mode with a quote character the file never holds: every `|`-separated field is taken as is.
    const copy = spawnSync(
      'psql',
      [
        database.url,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy extraction_copy from '${FILE}' with (format csv, delimiter '|', header true, quote e'\\x01')`,
      ],
      { encoding: 'utf8' },
    );
    const copyMs = Math.round(performance.now() - copyStart);
    if (copy.status !== 0) throw new Error(`psql \\copy failed: ${copy.stderr}`);
    console.log('copy', copyMs, copy.stdout.trim());
    // The server's share of the loader's work, without the API: the kept rows into an unindexed table, then the index.
    const floorStart = performance.now();
    await withClient(database.url, async (client) => {
      await client.query('create table staged_floor (like reference_professionals)');
      await client.query(`insert into staged_floor (extraction_id, rpps, last_name, first_name, profession)
                          select '00000000-0000-4000-8000-0000000000c0', c4, c10, nullif(c11, ''), nullif(c14, '') from extraction_copy where c3 = '8'`);
      await client.query('create index on staged_floor (extraction_id, rpps)');
    });
    const floorMs = Math.round(performance.now() - floorStart);
    console.log('server floor (insert unindexed, then index)', floorMs);

    const ratio = Math.round((copyMs / load.totalMs) * 100);
    writeResultsSection(
      'reference-extraction',
      `
## Reference extraction load — \`bench/reference-extraction.bench.ts\`

${machineLine()}; PostgreSQL on 127.0.0.1, server, API and this client on the same 2 cores;
load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' / ')} at the end (other work shared the machine: timings vary by ±30 % between runs).
A generated file in the layout of the ANS \`Extraction_Correspondance_MSSante\`: ${LINES.toLocaleString('en')} lines
(${(bytes / 2 ** 20).toFixed(0)} MiB, UTF-8, 90 % PER under an RPPS, 10 % ORG), uploaded with curl (\`POST /v1/reference/extractions\`; a
native client, like psql for the COPY) to an API process whose job runner (polling every 100 ms) loads it; then polled every 100 ms.

| step | time | rate | peak RSS |
|---|---|---|---|
| upload: read on arrival, ${load.rows.toLocaleString('en')} professionals staged with COPY (answer 202) | ${(load.uploadMs / 1000).toFixed(2)} s | ${Math.round(load.linesRead / (load.uploadMs / 1000)).toLocaleString('en')} lines/s | |
| load job: index the staged rows, attach them, switch (job start to in force) | ${(load.jobMs / 1000).toFixed(2)} s | | |
| **upload to reference in force** (what the operator waits: upload, job pickup, job, last poll) | **${(load.totalMs / 1000).toFixed(2)} s** | ${Math.round(LINES / (load.totalMs / 1000)).toLocaleString('en')} lines/s | ${load.peak} MB (API process) |
| plain \`psql \\copy\` of the same file into a 31-column table, no index (same run) | ${(copyMs / 1000).toFixed(2)} s | ${Math.round(LINES / (copyMs / 1000)).toLocaleString('en')} lines/s | (psql) |
| for scale: the server alone, the kept rows \`insert … select\`ed from that copy into an unindexed table, then indexed | ${(floorMs / 1000).toFixed(2)} s | | |

Target: the extraction loaded at 50 % or more of a plain COPY's speed, end to end — **${ratio >= 50 ? 'met' : 'not met'}**: ${ratio} %
(the COPY's time over the time from the start of the upload until the poll that sees the extraction in force, both measured in
this run; the load job alone is at ${Math.round((copyMs / load.jobMs) * 100)} %). How: the upload is read as it arrives, as bytes (decoding the file into
JavaScript strings alone took about a second): header checked, UTF-8 checked, lines cut, the PER lines under an RPPS reduced to
their four kept cells and streamed with \`COPY … FREEZE\` into a table of the extraction's own, created in the upload's
transaction and without an index, while the rest of the file is still arriving. The raw file is not stored: writing its
${(bytes / 2 ** 20).toFixed(0)} MiB to PostgreSQL (WAL and TOAST) took the server about as long as the plain COPY itself, which put the target
out of reach whatever the load did (stored in 1 MiB chunks and parsed by the job, the load measured 1.85 s + 2.63 s = 4.69 s, 24 %).
The job then builds the index in one pass (cheaper than keeping it row by row, and much cheaper when the RPPS are not in order)
and attaches the table as the extraction's partition of \`reference_professionals\` in the transaction that puts it in force,
so readers see all of it or none of it. The last row is the server's share of that work without the API, for scale.
Run: \`npm run bench:reference\` (the file is generated once into \`bench/.work/\`).
`,
    );
  } finally {
    await database.drop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
