import { performance } from 'node:perf_hooks';
import { HOSTILE_UPLOADS } from '../test/sheet-bombs';
import {
  createBenchDatabase,
  machineLine,
  peakRssMb,
  perNodeSection,
  startBenchApi,
  stopProcess,
  writeResultsSection,
} from './support';

/**
 * The hostile uploads as they were first found, each sent to a fresh server process (`dist/server.js`
 * as `npm start` runs it, with the limits it ships with). While its import runs, `GET /health/live` is
 * asked again 25 ms after each answer, and the slowest answer kept; the process's peak resident
 * memory is its VmHWM, start-up included. The ceiling, measured on the same process just before
 * the upload: the same liveness polling over an idle second, and the peak memory of its start-up.
 * Targets (the service's promise): liveness within 1 s throughout, peak memory under 500 MB.
 *
 * The tests (`imports.limits*.test.ts`) hold what these files must end in (the import `failed` with
 * its limit's code, the process up, liveness answered while it ran); how fast and how much is
 * measured here, next to a ceiling, not asserted by a timed test.
 */
const API_PORT = 4670;
const KEY = 'blk_bench_operator_key_hostile_0123456789';
const LIVENESS_TARGET_MS = 1000;
const MEMORY_TARGET_MB = 500;
const IDLE_MS = 1000;
/** The job runner on, as in production (imports are jobs); periodic work that is not what is measured, off. */
const RUNNING_IMPORTS = {
  BALISE_JOBS_ENABLED: 'true',
  BALISE_JOBS_POLL_MS: '100',
  BALISE_LIFECYCLE_SCHEDULE_ENABLED: 'false',
  BALISE_DIRECTORY_REFRESH_MINUTES: '0',
};

interface ImportRecord {
  status: string;
  error: { code: string } | null;
}

/** Asks liveness again 25 ms after each answer until `isDone`; the slowest answer, in ms. */
async function slowestLiveness(baseUrl: string, isDone: () => boolean): Promise<number> {
  let slowest = 0;
  while (!isDone()) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/health/live`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`liveness answered ${response.status}`);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return slowest;
}

async function measureUpload(databaseUrl: string, upload: (typeof HOSTILE_UPLOADS)[number]) {
  const api = await startBenchApi(databaseUrl, API_PORT, KEY, RUNNING_IMPORTS);
  try {
    const pid = api.process.pid!;
    const idleUntil = performance.now() + IDLE_MS;
    const idleLivenessMs = await slowestLiveness(api.baseUrl, () => performance.now() > idleUntil);
    const startUpRssMb = peakRssMb(pid);

    const form = new FormData();
    form.append('file', new Blob([upload.build()]), upload.fileName);
    const started = performance.now();
    const uploaded = await fetch(`${api.baseUrl}/v1/structures/${api.structureId}/imports`, {
      method: 'POST',
      headers: api.headers,
      body: form,
    });
    if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
    const { id } = (await uploaded.json()) as { id: string };

    let record: ImportRecord = { status: 'queued', error: null };
    const isOver = () => record.status === 'failed' || record.status === 'succeeded';
    // Settled before the process stops, whatever happens: a poll refused after the deadline is not a failure of its own.
    const watching = slowestLiveness(api.baseUrl, isOver).catch(() => Number.NaN);
    for (const deadline = Date.now() + 150_000; !isOver() && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      record = (await (
        await fetch(`${api.baseUrl}/v1/imports/${id}`, { headers: api.headers })
      ).json()) as ImportRecord;
    }
    const importSeconds = (performance.now() - started) / 1000;
    const liveness = isOver() ? await watching : Number.NaN;
    return {
      outcome: record.error?.code ?? record.status,
      importSeconds,
      livenessMs: Math.round(liveness),
      idleLivenessMs: Math.round(idleLivenessMs),
      peakRssMb: peakRssMb(pid),
      startUpRssMb,
      exited: api.process.exitCode !== null,
    };
  } finally {
    await stopProcess(api.process);
  }
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('balise_bench_hostile');
  const rows: string[] = [];
  let allMet = true;
  try {
    for (const upload of HOSTILE_UPLOADS) {
      const measured = await measureUpload(database.url, upload);
      console.log(upload.what, measured);
      const met =
        !measured.exited &&
        measured.outcome === upload.code &&
        measured.livenessMs <= LIVENESS_TARGET_MS &&
        measured.peakRssMb < MEMORY_TARGET_MB;
      allMet &&= met;
      rows.push(
        `| ${upload.what} | \`${measured.outcome}\` in ${measured.importSeconds.toFixed(1)} s | ${measured.livenessMs} ms | ${measured.idleLivenessMs} ms | ${measured.peakRssMb} MB | ${measured.startUpRssMb} MB | ${met ? 'met' : '**not met**'} |`,
      );
    }
  } finally {
    await database.drop();
  }
  writeResultsSection(
    perNodeSection('hostile-imports'),
    `## Hostile uploads on Node.js ${process.versions.node.split('.')[0]} — \`npm run bench:hostile\`

${machineLine()}; PostgreSQL on 127.0.0.1. Each file to a fresh \`dist/server.js\` (the Node.js options of \`npm start\`,
the limits it ships with); liveness asked again 25 ms after each answer while the import runs. Ceiling, same process
just before the upload: the slowest liveness answer over an idle second, and the peak memory of its start-up.

| upload | import ended | slowest liveness | idle ceiling | peak RSS (VmHWM) | start-up ceiling | target (liveness ≤ ${LIVENESS_TARGET_MS} ms, RSS < ${MEMORY_TARGET_MB} MB) |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets ${allMet ? '**met**' : '**not met**'}.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
