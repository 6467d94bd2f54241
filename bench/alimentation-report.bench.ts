import { loadavg } from 'node:os';
import path from 'node:path';
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

/**
 * The report benchmark: one structure with 100,000 boxes of every type and status (a
 * reference of 500,000 professionals in force), then the JSON report (first page and a later
 * page, each evaluating the whole structure), the XLSX and CSV files, and the directory refresh
 * over the same boxes. Each measure runs in a fresh API process, whose peak RSS is read after.
 */
const BOX_COUNT = 100_000;
const REFERENCE_ROWS = 500_000;
const API_PORT = 3811;
const KEY = 'blk_bench_operator_key_report_0123456789';
const BASE = `http://127.0.0.1:${API_PORT}`;
const HEADERS = { authorization: `Bearer ${KEY}` };

export async function seed(url: string, structureId: string, domain: string): Promise<void> {
  await withClient(url, async (client) => {
    // Type by g % 20: 14 PER, 2 INT, 2 ORG, 1 APP, 1 MED. Status by g % 10: preregistered, pending, deactivated, else valid.
    await client.query(
      `insert into mailboxes (structure_id, type, email, email_key, status, last_name, first_name, last_name_key, first_name_key,
                              rpps, adeli, profession, is_test, expires_at, responsible, description)
       select $1, t.type, 'box' || g || '@bench.example.fr', 'box' || g || '@bench.example.fr',
              case g % 10 when 0 then 'preregistered' when 1 then 'pending' when 2 then 'deactivated' else 'valid' end,
              case when t.type in ('ORG', 'APP') then 'Service ' || g else 'NOM' || (g % 9973) end, 'Prenom' || (g % 101),
              lower('NOM' || (g % 9973)), lower('Prenom' || (g % 101)),
              case when t.type in ('PER', 'INT') and g % 40 <> 0 then lpad((10000000000 + g)::text, 11, '0') end,
              case when t.type = 'PER' and g % 40 = 0 then lpad(g::text, 9, '0') end,
              case when t.type in ('PER', 'INT') then (array['10', '21', '60', '93', null])[1 + g % 5] end,
              g % 50 = 7,
              case when t.type = 'INT' then (case when g % 3 = 0 then date '2020-01-01' else date '2030-01-01' end) end,
              case when t.type in ('ORG', 'APP') and g % 7 <> 0 then jsonb_build_object('lastName', 'Resp', 'firstName', 'Anne', 'profession', '10') end,
              case when t.type in ('ORG', 'APP') and g % 5 <> 0 then 'Usage ' || g end
         from generate_series(1, $2::int) g,
              lateral (select case when g % 20 < 14 then 'PER' when g % 20 < 16 then 'INT' when g % 20 < 18 then 'ORG'
                                   when g % 20 < 19 then 'APP' else 'MED' end as type) t`,
      [structureId, BOX_COUNT],
    );
    await client.query(
      `insert into mssante_addresses (mailbox_id, structure_id, local_part, domain, address, assigned_at)
       select id, structure_id, split_part(email, '@', 1), $2, split_part(email, '@', 1) || '@' || $2, now()
         from mailboxes where structure_id = $1 and type <> 'MED' and (hashtext(id::text) % 20) <> 3`,
      [structureId, domain],
    );
    await client.query(
      `insert into connection_accounts (shared_mailbox_id, account_mailbox_id)
       select o.id, p.id
         from (select id, row_number() over (order by id) rn from mailboxes where type = 'ORG') o
         join (select id, row_number() over (order by id) rn from mailboxes where type = 'PER') p using (rn)
        where o.rn % 2 = 0`,
    );
    // The reference in force: 500,000 professionals, most boxes' RPPS among them, a few under another name.
    await client.query(
      `insert into reference_extractions (id, source_file, status, rows, loaded_at)
                        values ('00000000-0000-4000-8000-00000000e001', 'bench.txt', 'succeeded', $1, now())`,
      [REFERENCE_ROWS],
    );
    // reference_professionals is partitioned by extraction: the extraction's partition first.
    await client.query(`create table reference_professionals_0000000000004000800000000000e001
                        partition of reference_professionals for values in ('00000000-0000-4000-8000-00000000e001')`);
    await client.query(
      `insert into reference_professionals (extraction_id, rpps, last_name, first_name, profession)
       select '00000000-0000-4000-8000-00000000e001', lpad((10000000000 + g * 1)::text, 11, '0'),
              case when g % 97 = 0 then 'AUTRE' else 'NOM' || (g % 9973) end, 'PRENOM' || (g % 101), '10'
         from generate_series(1, $1::int) g where g % 33 <> 0`,
      [REFERENCE_ROWS],
    );
    await client.query('analyze');
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - start), value };
}

async function download(pathAndQuery: string): Promise<{ bytes: number; status: number }> {
  const response = await fetch(BASE + pathAndQuery, { headers: HEADERS });
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { bytes, status: response.status };
}

async function withApi<T>(
  url: string,
  extraEnv: Record<string, string>,
  work: (pid: number) => Promise<T>,
): Promise<T & { peakRssMb: number }> {
  const env = {
    DATABASE_URL: url,
    BALISE_BOOTSTRAP_API_KEY: KEY,
    LOG_LEVEL: 'warn',
    BALISE_JOBS_ENABLED: 'false',
    PORT: String(API_PORT),
    BALISE_LIFECYCLE_SCHEDULE_ENABLED: 'false',
    BALISE_DIRECTORY_REFRESH_MINUTES: '0',
    ...extraEnv,
  };
  const api = await startProcess(path.join(REPO_ROOT, 'dist', 'server.js'), env, `${BASE}/health/ready`);
  try {
    const result = await work(api.pid!);
    return { ...result, peakRssMb: peakRssMb(api.pid!) };
  } finally {
    await stopProcess(api);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const database = await createBenchDatabase('balise_bench_report');
  try {
    const { structureId } = await withApi(database.url, {}, async () => {
      const domain = `bench${Date.now()}.mssante.fr`;
      const created = await fetch(`${BASE}/v1/structures`, {
        method: 'POST',
        headers: { ...HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench', finess: '010000602', domains: [domain] }),
      });
      const structure = (await created.json()) as { id: string };
      const seeding = await timed(() => seed(database.url, structure.id, domain));
      console.log(`seeded ${BOX_COUNT} boxes and ${REFERENCE_ROWS} professionals in ${seeding.ms} ms`);
      return { structureId: structure.id };
    });
    const reportPath = `/v1/structures/${structureId}/alimentation-report`;

    const json = await withApi(database.url, {}, async () => {
      const runs: number[] = [];
      let first:
        | {
            summary: {
              fedMailboxes: number;
              bySeverity: { blocking: number; warning: number };
              mailboxesWithBlockingIssues: number;
            };
            nextCursor: string;
          }
        | undefined;
      for (let run = 0; run < 6; run += 1) {
        const { ms, value } = await timed(async () =>
          (await fetch(`${BASE}${reportPath}?limit=500`, { headers: HEADERS })).json(),
        );
        if (run > 0) runs.push(ms); // the first warms the process up
        first = value as typeof first;
      }
      const later = await timed(() =>
        fetch(`${BASE}${reportPath}?limit=500&cursor=${first!.nextCursor}`, { headers: HEADERS }).then((response) =>
          response.json(),
        ),
      );
      const filtered = await timed(() =>
        fetch(`${BASE}${reportPath}?limit=500&rule=NAME_MISMATCH_REFERENCE`, { headers: HEADERS }).then((response) =>
          response.json(),
        ),
      );
      return { runs, later: later.ms, filtered: filtered.ms, summary: first!.summary };
    });
    console.log('json', json);
    const xlsx = await withApi(database.url, {}, async () => {
      await fetch(`${BASE}${reportPath}?limit=1`, { headers: HEADERS }); // warm-up, as for JSON
      const { ms, value } = await timed(() => download(`${reportPath}?format=xlsx`));
      return { ms, ...value };
    });
    console.log('xlsx', xlsx);
    const csv = await withApi(database.url, {}, async () => {
      await fetch(`${BASE}${reportPath}?limit=1`, { headers: HEADERS });
      const { ms, value } = await timed(() => download(`${reportPath}?format=csv`));
      return { ms, ...value };
    });
    console.log('csv', csv);
    const directory = await withApi(database.url, { BALISE_DIRECTORY_MAX_AGE_SECONDS: '0' }, async () => {
      const initial = await timed(() =>
        fetch(`${BASE}/v1/directory/entries?limit=500`, { headers: HEADERS }).then((response) => response.json()),
      );
      const unchanged = await timed(() =>
        fetch(`${BASE}/v1/directory/entries?limit=500`, { headers: HEADERS }).then((response) => response.json()),
      );
      const published = await withClient(database.url, (client) =>
        client.query<{ count: number }>('select count(*)::int as count from directory_entries'),
      );
      return { initial: initial.ms, unchanged: unchanged.ms, published: published.rows[0]!.count };
    });
    console.log('directory', directory);

    const jsonMedian = median(json.runs);
    writeResultsSection(
      'alimentation-report',
      `
## Alimentation report and directory feed — \`bench/alimentation-report.bench.ts\`

${machineLine()}; PostgreSQL on 127.0.0.1, server and client on the same 2 cores;
load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' / ')} at the end (other work shared the machine: timings vary by ±30 % between runs).
One structure with ${BOX_COUNT.toLocaleString('en')} boxes (70 % PER, 10 % INT, 10 % ORG, 5 % APP, 5 % MED; 10 % pending and 10 % deactivated,
2 % test accounts; 95 % with an MSSanté address) of which ${json.summary.fedMailboxes.toLocaleString('en')} are fed; a reference of
${REFERENCE_ROWS.toLocaleString('en')} professionals in force. The report found ${json.summary.bySeverity.blocking.toLocaleString('en')} blocking issues and
${json.summary.bySeverity.warning.toLocaleString('en')} warnings (${json.summary.mailboxesWithBlockingIssues.toLocaleString('en')} boxes blocked).
Each row is one fresh API process (peak RSS = its VmHWM at the end, start-up included).

| request | time | peak RSS |
|---|---|---|
| JSON \`?limit=500\` (whole structure evaluated for the summary), median of 5 after a warm-up | ${seconds(jsonMedian)} s (min ${seconds(Math.min(...json.runs))} s, max ${seconds(Math.max(...json.runs))} s) | ${json.peakRssMb} MB |
| JSON, a later page (\`cursor\`) / filtered \`rule=NAME_MISMATCH_REFERENCE\` | ${seconds(json.later)} s / ${seconds(json.filtered)} s | (same process) |
| XLSX, every issue (${(xlsx.bytes / 2 ** 20).toFixed(1)} MiB), streamed | ${seconds(xlsx.ms)} s | ${xlsx.peakRssMb} MB |
| CSV, every issue (${(csv.bytes / 2 ** 20).toFixed(1)} MiB), streamed | ${seconds(csv.ms)} s | ${csv.peakRssMb} MB |
| directory feed: first refresh (publishes ${directory.published.toLocaleString('en')} entries) + first page | ${seconds(directory.initial)} s | ${directory.peakRssMb} MB |
| directory feed: refresh with nothing changed + first page | ${seconds(directory.unchanged)} s | (same process) |

Target: the JSON report over 100,000 boxes in under 2 s on PostgreSQL — **${jsonMedian < 2000 ? 'met' : 'not met'}** (median ${seconds(jsonMedian)} s).
How: boxes are read in keyset batches of 5,000 over \`(structure_id, id)\`, one statement per batch with few columns (the
active address and the reference entry by RPPS joined in, ORG boxes' connection accounts counted by an indexed subquery,
the structure's ids looked up once), the next batch's statement sent before the current batch is evaluated in memory by
the rule engine; the page and the summary come from one repeatable-read snapshot. Most of the time is the database's.
Run: \`npm run build && npx tsc -p tsconfig.bench.json && node bench/.work/dist/bench/alimentation-report.bench.js\`
(\`BENCH_DATABASE_SERVER\` names the PostgreSQL server, default \`postgres://postgres@127.0.0.1:5432/postgres\`).
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
