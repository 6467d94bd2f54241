import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { JobRunner } from '../../platform/jobs/job-runner';
import { dependenciesOf } from '../../platform/request-context';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createMailbox,
  createStructure,
  importRows,
  loaduserCsv,
  uniqueDomain,
  uniqueEmail,
  uploadImport,
  validRpps,
} from '../../../test/factories';
import { importJob } from './imports.jobs';
import type { ImportHooks } from './processing/import-run';
import { DEFAULT_SHEET_LIMITS } from '../loaduser-sheet';

/** Two rows per batch, and retries due at once, so that a crash is followed by a resumed run. */
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

/** The import job with hooks, as the queue runs it (`runner` defaults to the app's). */
function registerImportJob(hooks: ImportHooks, runner: JobRunner = test.app.jobs) {
  runner.register(importJob, {
    deps: dependenciesOf(test.app),
    options: { batchSize: BATCH_SIZE, sheetLimits: DEFAULT_SHEET_LIMITS, hooks },
  });
}
afterEach(() => registerImportJob({}));

const crashOnce = (at: number) => {
  let hasCrashed = false;
  return async (step: number) => {
    if (!hasCrashed && step === at) {
      hasCrashed = true;
      throw new Error('worker killed');
    }
  };
};

/** Seven rows: four batches, the ORG box naming accounts created in earlier batches. */
function sevenRows() {
  const emails = Array.from({ length: 6 }, () => uniqueEmail('resume'));
  const org = uniqueEmail('org');
  const rows = emails.map((email, index) => ({
    A: email,
    B: 'Dupont',
    C: `Jean ${index}`,
    D: validRpps(),
    S: 'PER',
    AC: email.split('@')[0]!,
  }));
  return {
    emails: [...emails, org],
    csv: loaduserCsv([...rows, { A: org, B: 'Service', C: 'X', S: 'ORG', AH: `${emails[0]};${emails[3]}` }]),
  };
}

async function upload(csv: Buffer): Promise<string> {
  const response = await uploadImport(test, structureId, csv).expect(202);
  return response.body.id as string;
}
const getImport = async (id: string) => (await test.http.get(`/v1/imports/${id}`).set(bearer(test.operatorKey))).body;

async function boxesOf(emails: string[]) {
  return selectRows<{ id: string; email: string; audits: number; addresses: number }>(
    test.app.db,
    sql`
    select m.id, m.email,
           (select count(*)::int from audit_events e where e.mailbox_id = m.id) as audits,
           (select count(*)::int from mssante_addresses a where a.mailbox_id = m.id) as addresses
      from mailboxes m where m.email in (${sql.join(
        emails.map((email) => sql`${email}`),
        sql`, `,
      )})`,
  );
}

/** Every row applied exactly once: one box, one audit event, one address, one result each. */
async function expectAppliedOnce(importId: string, emails: string[]) {
  expect(await getImport(importId)).toMatchObject({
    status: 'succeeded',
    counts: { created: emails.length, updated: 0, unchanged: 0, failed: 0 },
  });
  const boxes = await boxesOf(emails);
  expect(boxes).toHaveLength(emails.length);
  for (const box of boxes)
    expect({ audits: box.audits, addresses: box.addresses }).toEqual({
      audits: 1,
      addresses: box.email.startsWith('org.') ? 0 : 1,
    });
  const rows = await importRows(test, importId);
  expect(rows.map((row) => row.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  const accounts = await selectRows<{ count: number }>(
    test.app.db,
    sql`
    select count(*)::int as count from connection_accounts c join mailboxes m on m.id = c.shared_mailbox_id where m.email = ${emails[6]!}`,
  );
  expect(accounts[0]!.count).toBe(2);
}

describe('an import interrupted mid-way', () => {
  it('resumes after the last committed batch when the worker dies after a commit', async () => {
    registerImportJob({ afterApplyBatch: crashOnce(1) });
    const { emails, csv } = sevenRows();
    const importId = await upload(csv);
    expect(await test.app.jobs.runNext()).toBe(true);
    expect(await getImport(importId)).toMatchObject({
      status: 'running',
      progress: { phase: 'applying', rowsApplied: BATCH_SIZE },
    });
    expect(await boxesOf(emails)).toHaveLength(BATCH_SIZE);
    expect(await test.app.jobs.runNext()).toBe(true);
    await expectAppliedOnce(importId, emails);
  });

  it('rolls back the batch in flight whole when the worker dies before its commit, then applies it once', async () => {
    registerImportJob({ beforeApplyCommit: crashOnce(2) });
    const { emails, csv } = sevenRows();
    const importId = await upload(csv);
    expect(await test.app.jobs.runNext()).toBe(true);
    // Batch 1 committed; batch 2 left nothing behind: no box, audit event, result or checkpoint.
    expect((await boxesOf(emails)).map((box) => box.email).sort()).toEqual(emails.slice(0, BATCH_SIZE).sort());
    expect((await importRows(test, importId)).map((row) => row.rowNumber)).toEqual([2, 3]);
    const [checkpoint] = await selectRows<{ applied_through_row: number }>(
      test.app.db,
      sql`select applied_through_row from imports where id = ${importId}`,
    );
    expect(checkpoint!.applied_through_row).toBe(3);
    expect(await test.app.jobs.runNext()).toBe(true);
    await expectAppliedOnce(importId, emails);
  });

  it('starts the validation over when the worker dies while reading the file', async () => {
    registerImportJob({ afterValidationChunk: crashOnce(2) });
    const { emails, csv } = sevenRows();
    const importId = await upload(csv);
    expect(await test.app.jobs.runNext()).toBe(true);
    expect(await getImport(importId)).toMatchObject({
      status: 'running',
      progress: { phase: 'validating', totalRows: null },
    });
    expect(await boxesOf(emails)).toEqual([]);
    expect(await test.app.jobs.runNext()).toBe(true);
    await expectAppliedOnce(importId, emails);
  });

  it("is taken over by another runner once the frozen one's lease runs out", async () => {
    const frozen = new JobRunner(test.app.db, test.app.log, { workerId: 'frozen', retryBaseSeconds: 0 });
    registerImportJob(
      { afterApplyBatch: (batch) => (batch === 1 ? new Promise<void>(() => undefined) : Promise.resolve()) },
      frozen,
    );
    const { emails, csv } = sevenRows();
    const importId = await upload(csv);
    void frozen.runNext();
    for (let attempt = 0; attempt < 200 && (await boxesOf(emails)).length < BATCH_SIZE; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await test.app.jobs.runNext()).toBe(false);
    await test.app.db.execute(
      sql`update jobs set locked_until = now() - interval '1 second' where name = ${importJob.name} and locked_by = 'frozen'`,
    );
    expect(await test.app.jobs.runNext()).toBe(true);
    await expectAppliedOnce(importId, emails);
  });

  it('plans a batch again when a box it names changed after the batch was drafted', async () => {
    const box = await createMailbox(test, structureId, 'PER', { service: 'Pneumologie' });
    const csv = loaduserCsv([
      { A: uniqueEmail('draft'), B: 'Durand', C: 'Anne', D: validRpps(), S: 'PER' },
      { A: uniqueEmail('draft'), B: 'Durand', C: 'Paul', D: validRpps(), S: 'PER' },
      { A: box.email, B: 'Martin', C: 'Jeanne', S: 'PER' },
    ]);
    registerImportJob({
      afterApplyBatch: async (batch) => {
        if (batch !== 1) return;
        // Batch 2 was drafted while batch 1 was written: the wait lets the draft read the box first.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await test.http
          .patch(`/v1/mailboxes/${box.id}`)
          .set(bearer(test.operatorKey))
          .send({ service: 'Cardiologie' })
          .expect(200);
      },
    });
    const importId = await upload(csv);
    await test.app.jobs.drain();
    expect(await getImport(importId)).toMatchObject({
      status: 'succeeded',
      counts: { created: 2, updated: 1, unchanged: 0, failed: 0 },
    });
    const after = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(after.body).toMatchObject({ lastName: 'Martin', firstName: 'Jeanne', service: 'Cardiologie' });
  });

  describe('rows found unchanged on validation', () => {
    /** Imports `csv` once, so that importing it again finds every row unchanged. */
    async function importTwice(csv: Buffer, hooks: ImportHooks): Promise<string> {
      await upload(csv);
      await test.app.jobs.drain();
      registerImportJob(hooks);
      const again = await upload(csv);
      await test.app.jobs.drain();
      return again;
    }

    it('are planned again when their box changed between validation and apply', async () => {
      const emails = [uniqueEmail('same'), uniqueEmail('same'), uniqueEmail('same')];
      const csv = loaduserCsv(emails.map((email) => ({ A: email, B: 'Roux', C: 'Léa', D: validRpps(), S: 'PER' })));
      const importId = await importTwice(csv, {
        afterValidationChunk: async (chunk) => {
          if (chunk !== 1) return;
          const [box] = await boxesOf([emails[1]!]);
          await test.http
            .patch(`/v1/mailboxes/${box!.id}`)
            .set(bearer(test.operatorKey))
            .send({ lastName: 'Rousseau' })
            .expect(200);
        },
      });
      expect(await getImport(importId)).toMatchObject({
        status: 'succeeded',
        counts: { created: 0, updated: 1, unchanged: 2, failed: 0 },
      });
      // The file's value again: the row was planned against the box as it is at apply.
      const lastNames = await selectRows<{ last_name: string }>(
        test.app.db,
        sql`select last_name from mailboxes where email in (${sql.join(
          emails.map((email) => sql`${email}`),
          sql`, `,
        )})`,
      );
      expect(lastNames.map((box) => box.last_name)).toEqual(['Roux', 'Roux', 'Roux']);
    });

    it('are planned again when the structure changed between validation and apply', async () => {
      const email = uniqueEmail('undated');
      const csv = loaduserCsv([{ A: email, B: 'Okafor', C: 'Ngozi', S: 'INT' }]);
      const importId = await importTwice(csv, {
        afterValidationChunk: async () => {
          await test.http
            .patch(`/v1/structures/${structureId}`)
            .set(bearer(test.operatorKey))
            .send({ intExpiryRequired: true })
            .expect(200);
        },
      });
      await test.http
        .patch(`/v1/structures/${structureId}`)
        .set(bearer(test.operatorKey))
        .send({ intExpiryRequired: false })
        .expect(200);
      expect(await getImport(importId)).toMatchObject({ status: 'succeeded', counts: { unchanged: 0, failed: 1 } });
    });
  });

  it('fails alone a row that became invalid between its validation and its batch', async () => {
    const { emails, csv } = sevenRows();
    const other = (await createStructure(test)).id;
    registerImportJob({
      afterApplyBatch: async (batch) => {
        if (batch === 1) await createMailbox(test, other, 'PER', { email: emails[4] });
      },
    });
    const importId = await upload(csv);
    await test.app.jobs.drain();
    expect(await getImport(importId)).toMatchObject({ status: 'succeeded', counts: { created: 6, failed: 1 } });
    expect(await importRows(test, importId, 'failed')).toEqual([
      expect.objectContaining({
        rowNumber: 6,
        errors: [expect.objectContaining({ column: 'A', code: 'EMAIL_TAKEN' })],
      }),
    ]);
  });
});
