import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { defineJob } from '../../platform/jobs/job-definition';
import { JobRunner } from '../../platform/jobs/job-runner';
import { dependenciesOf } from '../../platform/request-context';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createStructure,
  loaduserCsv,
  uniqueDomain,
  uniqueEmail,
  uploadImport,
  validRpps,
} from '../../../test/factories';
import { importJob as importProcessJob, ImportJobPayloadSchema } from './imports.jobs';
import { processImportJob } from './processing/import-job';
import type { ImportHooks } from './processing/import-run';
import { DEFAULT_SHEET_LIMITS } from '../loaduser-sheet';

/**
 * An import whose process dies: the runner of the next process finds the job abandoned (lease
 * run out) and either resumes it (the attempt had made progress) or ends it `IMPORT_CRASHED`
 * (it had not: the file most likely killed the process, and would kill the next one).
 */
const BATCH_SIZE = 2;
let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp({
    jobRunner: { retryBaseSeconds: 0 },
    environment: { BALISE_IMPORT_BATCH_SIZE: String(BATCH_SIZE) },
  });
  structureId = (await createStructure(test, { domains: [uniqueDomain()] })).id;
});
afterAll(() => test.close());

const never = () => new Promise<void>(() => undefined);
const killed = () => Promise.reject(new Error('process killed'));

/**
 * A runner in a process that dies: its handler stops where a hook throws (a transaction in flight
 * rolls back, as the server does when a connection drops) and then never returns, so its job is
 * left `running` with nobody renewing its lease. `died` settles once it stopped.
 */
function dyingRunner(
  workerId: string,
  hooks: ImportHooks | 'before-any-progress',
): { runner: JobRunner; died: Promise<void> } {
  let reach!: () => void;
  const died = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const runner = new JobRunner(test.app.db, test.app.log, { workerId, retryBaseSeconds: 0, leaseSeconds: 300 });
  runner.register(
    defineJob({
      name: importProcessJob.name,
      payload: ImportJobPayloadSchema,
      handler: async (context) => {
        // 'before-any-progress': a parser blowing up on the file before the first chunk commits.
        if (hooks !== 'before-any-progress') {
          await processImportJob(dependenciesOf(test.app), context, {
            batchSize: BATCH_SIZE,
            sheetLimits: DEFAULT_SHEET_LIMITS,
            hooks,
          }).catch(() => undefined);
        }
        reach();
        await never();
      },
    }),
  );
  return { runner, died };
}

/** Runs one attempt that dies, then lets its lease run out as it would once its process is gone. */
async function dieDuringAttempt({ runner, died }: { runner: JobRunner; died: Promise<void> }): Promise<void> {
  void runner.runNext();
  await died;
  await test.app.db.execute(
    sql`update jobs set locked_until = now() - interval '1 second' where name = ${importProcessJob.name} and locked_by = ${runner.workerId}`,
  );
}

function fiveRows() {
  const emails = Array.from({ length: 5 }, () => uniqueEmail('crash'));
  return {
    emails,
    csv: loaduserCsv(
      emails.map((email, index) => ({ A: email, B: 'Martin', C: `Lea ${index}`, D: validRpps(), S: 'PER' })),
    ),
  };
}

const getImport = async (id: string) =>
  (await test.http.get(`/v1/imports/${id}`).set(bearer(test.operatorKey)).expect(200)).body;

async function boxCount(emails: string[]): Promise<number> {
  const [row] = await selectRows<{ count: number }>(
    test.app.db,
    sql`
    select count(*)::int as count from mailboxes where email in (${sql.join(
      emails.map((email) => sql`${email}`),
      sql`, `,
    )})`,
  );
  return row!.count;
}

async function importJob(importId: string) {
  const [row] = await selectRows<{ status: string; attempts: number }>(
    test.app.db,
    sql`
    select status, attempts from jobs where name = ${importProcessJob.name} and payload ->> 'importId' = ${importId}`,
  );
  return row!;
}

describe('an import whose process died', () => {
  it('ends failed with IMPORT_CRASHED, audited, when the attempt died before any progress', async () => {
    const { emails, csv } = fiveRows();
    const importId = (await uploadImport(test, structureId, csv).expect(202)).body.id as string;
    await dieDuringAttempt(dyingRunner('crashing-on-the-file', 'before-any-progress'));

    // The next process's runner (the app's) does not run the file again.
    expect(await test.app.jobs.runNext()).toBe(true);
    expect(await getImport(importId)).toMatchObject({
      status: 'failed',
      error: { code: 'IMPORT_CRASHED', type: 'https://balise.dev/problems/import-crashed' },
    });
    expect(await importJob(importId)).toEqual({ status: 'failed', attempts: 2 });
    expect(await boxCount(emails)).toBe(0);
    const audit = await test.http
      .get('/v1/audit-events')
      .query({ action: 'import.crashed', targetId: importId })
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'import.crashed',
        targetType: 'import',
        targetId: importId,
        structureId,
        after: expect.objectContaining({
          status: 'failed',
          error: expect.objectContaining({ code: 'IMPORT_CRASHED' }),
        }),
      }),
    ]);
    expect(await test.app.jobs.runNext()).toBe(false);
  });

  it('resumes when the attempt died after progress, and gives up when the next one dies again without going further', async () => {
    const { emails, csv } = fiveRows();
    const importId = (await uploadImport(test, structureId, csv).expect(202)).body.id as string;

    // Attempt 1 validates every row, applies the first batch, then its process dies.
    await dieDuringAttempt(dyingRunner('dies-after-batch-1', { afterApplyBatch: killed }));
    expect(await boxCount(emails)).toBe(BATCH_SIZE);

    // Attempt 2 resumes after the checkpoint: no progress is lost, nothing is applied twice.
    await dieDuringAttempt(dyingRunner('dies-after-batch-2', { afterApplyBatch: killed }));
    expect(await boxCount(emails)).toBe(2 * BATCH_SIZE);
    expect(await getImport(importId)).toMatchObject({ status: 'running' });

    // Attempt 3 dies before its batch commits: no progress, so attempt 4 is not run.
    await dieDuringAttempt(dyingRunner('dies-before-commit', { beforeApplyCommit: killed }));
    expect(await test.app.jobs.runNext()).toBe(true);
    expect(await getImport(importId)).toMatchObject({ status: 'failed', error: { code: 'IMPORT_CRASHED' } });
    expect(await boxCount(emails)).toBe(2 * BATCH_SIZE);
  });

  it('resumes an import after a crash that followed progress, to success', async () => {
    const { emails, csv } = fiveRows();
    const importId = (await uploadImport(test, structureId, csv).expect(202)).body.id as string;
    await dieDuringAttempt(dyingRunner('dies-while-validating', { afterValidationChunk: killed }));
    expect(await test.app.jobs.runNext()).toBe(true);
    expect(await getImport(importId)).toMatchObject({ status: 'succeeded', counts: { created: 5, failed: 0 } });
    expect(await boxCount(emails)).toBe(5);
  });

  it('does not count a restarted validation reaching the same row again as progress', async () => {
    const { emails, csv } = fiveRows();
    const importId = (await uploadImport(test, structureId, csv).expect(202)).body.id as string;
    const killedAtChunk2 = async (chunk: number) => (chunk === 2 ? killed() : undefined);
    await dieDuringAttempt(dyingRunner('dies-at-row-4', { afterValidationChunk: killedAtChunk2 }));
    // Resumed (the first attempt got somewhere), the validation starts over and dies at the same row.
    await dieDuringAttempt(dyingRunner('dies-at-row-4-again', { afterValidationChunk: killedAtChunk2 }));
    expect(await test.app.jobs.runNext()).toBe(true);
    expect(await getImport(importId)).toMatchObject({ status: 'failed', error: { code: 'IMPORT_CRASHED' } });
    expect(await importJob(importId)).toEqual({ status: 'failed', attempts: 3 });
    expect(await boxCount(emails)).toBe(0);
  });
});
