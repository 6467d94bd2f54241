import path from 'node:path';
import { openDatabase } from '../src/db/database';
import { refreshSearchTermShares } from '../src/modules/mailboxes/search-statistics';
import { benchBoxes, type BenchBox } from './french-names';
import { cycle, runLoad, type LoadSummary } from './load';
import {
  createBenchDatabase,
  machineLine,
  perNodeSection,
  startBenchApi,
  startProcess,
  stopProcess,
  withClient,
  writeResultsSection,
} from './support';

/**
 * The search benchmark (issue 16): 100,000 boxes with realistic French names, then
 * `GET /v1/mailboxes?q=` in five shapes, 50 results a page, each next to the 50-row ceiling (a bare
 * Fastify route reading 50 rows by primary-key range with pg, no auth) measured in the same run.
 */
const BOX_COUNT = 100_000;
const API_PORT = 4650;
const CEILING_PORT = 4651;
const KEY = 'blk_bench_operator_key_search_0123456789';
const SEED_BATCH = 10_000;
const WARM_UP_SECONDS = 2;

async function seed(url: string, structureId: string, domain: string, boxes: BenchBox[]): Promise<string[]> {
  await withClient(url, async (client) => {
    for (let start = 0; start < boxes.length; start += SEED_BATCH) {
      const batch = boxes.slice(start, start + SEED_BATCH);
      const column = <K extends keyof BenchBox>(key: K) => batch.map((box) => box[key]);
      // The keys as the service writes them (lower case, accents folded); the search terms by the triggers.
      await client.query(
        `insert into mailboxes (structure_id, type, email, email_key, status, last_name, first_name, last_name_key,
                                first_name_key, service, organisation_name, rpps, profession)
         select $1, 'PER', email, email, 'valid', last_name, first_name, lower(unaccent(last_name)), lower(unaccent(first_name)),
                service, organisation_name, rpps, '10'
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                as box(last_name, first_name, service, organisation_name, email, rpps)`,
        [
          structureId,
          column('lastName'),
          column('firstName'),
          column('service'),
          column('organisationName'),
          column('email'),
          column('rpps'),
        ],
      );
    }
    const withAddress = boxes.filter((box) => box.hasAddress).map((box) => box.email);
    await client.query(
      `insert into mssante_addresses (mailbox_id, structure_id, local_part, domain, address, assigned_at)
       select id, structure_id, split_part(email, '@', 1), $2, split_part(email, '@', 1) || '@' || $2, now()
         from mailboxes where structure_id = $1 and email = any($3::text[])`,
      [structureId, domain, withAddress],
    );
    await client.query('vacuum analyze');
  });
  // What the periodic job `mailboxes.refresh-search-statistics` does (the bench's server runs no jobs).
  const handle = await openDatabase({
    kind: 'postgres',
    url,
    poolSize: 1,
    connectTimeoutSeconds: 10,
    idleTimeoutSeconds: 10,
  });
  try {
    console.log(`search statistics: ${await refreshSearchTermShares(handle.db)} terms`);
  } finally {
    await handle.close();
  }
  return withClient(url, async (client) => {
    const result = await client.query<{ id: string }>('select id from mailboxes order by random() limit 2000');
    return result.rows.map((row) => row.id);
  });
}

/** How many boxes a search finds, and how many of them whole: what each shape costs depends on it. */
async function matchCount(url: string, q: string): Promise<number> {
  return withClient(url, async (client) => {
    const result = await client.query<{ count: number }>(
      'select count(*)::int as count from mailboxes where search_terms @@ balise_search_query($1)',
      [q],
    );
    return result.rows[0]!.count;
  });
}

const SHAPES: { label: string; queries: (boxes: BenchBox[]) => string[] }[] = [
  { label: 'a common first name (`marie`)', queries: () => ['marie'] },
  { label: 'two words (`dupont marie`)', queries: () => ['dupont marie'] },
  { label: 'a service prefix (`pneumo`)', queries: () => ['pneumo'] },
  // Many different RPPS, as a desk looks professionals up one by one.
  {
    label: 'an RPPS (one box)',
    queries: (boxes) => boxes.filter((_, index) => index % 211 === 0).map((box) => box.rpps),
  },
  { label: 'an e-mail prefix (`mdupont1`)', queries: () => ['mdupont1'] },
];

const ratio = (part: number, whole: number) => Math.round((part / whole) * 100);

async function main(): Promise<void> {
  const database = await createBenchDatabase('balise_bench_search');
  const api = await startBenchApi(database.url, API_PORT, KEY);
  const { headers, domain } = api;
  try {
    const boxes = benchBoxes(BOX_COUNT);
    const seedStart = Date.now();
    const ids = await seed(database.url, api.structureId, domain, boxes);
    console.log(`seeded ${BOX_COUNT} boxes in ${Date.now() - seedStart} ms`);

    const ceilingProcess = await startProcess(
      path.join(__dirname, 'ceiling-server.js'),
      { DATABASE_URL: database.url, PORT: String(CEILING_PORT) },
      `http://127.0.0.1:${CEILING_PORT}/health`,
    );
    /**
     * A load after WARM_UP_SECONDS of the same load, unmeasured: while the other server was measured,
     * this one's pool closed its idle connections (pg-pool: after 10 s), and a new connection
     * prepares its statements and plans the list's first five runs afresh (about 3 ms each).
     */
    const warmedLoad = async (url: string, paths: () => string, requestHeaders: Record<string, string> = {}) => {
      await runLoad(url, paths, requestHeaders, WARM_UP_SECONDS);
      return runLoad(url, paths, requestHeaders);
    };
    const ceilingPaths = cycle(ids.map((id) => `/page?after=${id}`));
    /**
     * Each load next to a ceiling measured just before it: on a shared machine the CPU a run gets
     * drifts by a third within minutes (the ceiling alone measured 705 to 1,464 req/s across the
     * runs of one afternoon), so a ratio is only like-for-like between neighbouring measures.
     */
    const measurePair = async (
      label: string,
      paths: () => string,
    ): Promise<{ load: LoadSummary; ceiling: LoadSummary }> => {
      const ceiling = await warmedLoad(`http://127.0.0.1:${CEILING_PORT}`, ceilingPaths);
      const load = await warmedLoad(`http://127.0.0.1:${API_PORT}`, paths, headers);
      console.log(label, { load, ceiling });
      return { load, ceiling };
    };
    const row = (
      label: string,
      matches: string,
      { load, ceiling }: { load: LoadSummary; ceiling: LoadSummary },
      target: string,
    ) =>
      `| ${label} | ${matches} | ${load.requestsPerSecond} | ${ceiling.requestsPerSecond} | ${ratio(load.requestsPerSecond, ceiling.requestsPerSecond)} % | ${load.p99Ms} ms | ${ceiling.p99Ms} ms | ${(load.p99Ms / ceiling.p99Ms).toFixed(1)} × | ${load.failures} | ${target} |`;

    const rows: string[] = [];
    let allMet = true;
    try {
      // What the API costs around any search: the same page of 50 boxes listed without q (not a target).
      const listed = await measurePair('the list without q', () => '/v1/mailboxes?limit=50');
      rows.push(row('for reference, no search: `GET /v1/mailboxes?limit=50`', '–', listed, ''));
      for (const shape of SHAPES) {
        const queries = shape.queries(boxes);
        const matches = queries.length === 1 ? await matchCount(database.url, queries[0]!) : 1;
        const pair = await measurePair(
          shape.label,
          cycle(queries.map((q) => `/v1/mailboxes?q=${encodeURIComponent(q)}&limit=50`)),
        );
        const met =
          pair.load.requestsPerSecond >= 0.5 * pair.ceiling.requestsPerSecond &&
          pair.load.p99Ms <= 2 * pair.ceiling.p99Ms;
        allMet &&= met;
        rows.push(row(shape.label, matches.toLocaleString('en'), pair, met ? 'met' : '**not met**'));
      }
    } finally {
      await stopProcess(ceilingProcess);
    }
    writeResultsSection(
      perNodeSection('mailbox-search'),
      `
## Mailbox search on Node.js ${process.versions.node.split('.')[0]} — \`npm run bench:search\`

${machineLine()}; PostgreSQL on 127.0.0.1; ${BOX_COUNT.toLocaleString('en')} PER boxes with French names drawn with a skew
(bench/french-names.ts: Marie, Dupont… the most frequent; compound, hyphenated and apostrophe names), 80 % with a service,
half with an MSSanté address; autocannon, 50 connections, ${process.env.BENCH_SECONDS ?? 10} s each, on the same 2 cores as the server.
Ceiling (same run, same database, measured just before each load): bare Fastify,
\`select <the API's columns> from mailboxes where id > $1 order by id limit 50\` with \`pg\`, no auth, plain JSON.

| load | boxes found | req/s | ceiling req/s | of ceiling | p99 | ceiling p99 | p99 / ceiling's | failures | target |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Target: every shape ≥ 50 % of the ceiling's req/s with p99 ≤ 2 × its p99 — **${allMet ? 'met' : 'not met'}**.
`,
    );
  } finally {
    await stopProcess(api.process);
    if (process.env.BENCH_KEEP_DATABASE) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
