import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { annotatedRows } from '../imports/import-report';
import { findImport } from '../imports';
import { DEFAULT_SHEET_LIMITS } from '../loaduser-sheet';
import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createStructure,
  importRows,
  loaduserCsv,
  runImport,
  runLifecycleSweep,
  uploadImport,
  validRpps,
} from '../../../test/factories';

const HOUR_MS = 3_600_000;
const clock = new ManualClock('2026-02-02T08:00:00.000Z');
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ clock, environment: { BALISE_IMPORT_FILE_RETENTION_HOURS: '24' } });
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const advanceHours = (hours: number) => clock.set(new Date(clock.now().getTime() + hours * HOUR_MS));

async function storedPieces(importId: string): Promise<number> {
  const [row] = await selectRows<{ pieces: number }>(
    test.app.db,
    sql`select count(*)::int as pieces from import_file_chunks where import_id = ${importId}`,
  );
  return row!.pieces;
}

const validRow = (name: string) => ({ A: `${name}@hopital.example.fr`, B: name, C: 'Jean', D: validRpps(), S: 'PER' });

describe('uploads of ended imports', () => {
  it('are kept for the retention period, then deleted by the sweep, audited; a running import keeps its file', async () => {
    const structure = await createStructure(test);
    const succeeded = await runImport(test, structure.id, loaduserCsv([validRow('kept-then-gone')]));
    expect(succeeded.status).toBe('succeeded');
    const failed = await runImport(
      test,
      structure.id,
      loaduserCsv([validRow('valid'), { A: 'not-an-address', B: 'X', C: 'Y', S: 'PER' }]),
    );
    expect(failed.status).toBe('failed');
    // An import whose job is in flight: queued by the upload, then taken by a runner.
    const upload = await uploadImport(test, structure.id, loaduserCsv([validRow('in-flight')])).expect(202);
    const running: string = upload.body.id;
    await test.app.db.execute(sql`update imports set status = 'running', started_at = now() where id = ${running}`);
    for (const id of [succeeded.id, failed.id, running]) expect(await storedPieces(id)).toBeGreaterThan(0);

    // Within the retention: nothing goes, the report is still there.
    advanceHours(23);
    expect((await runLifecycleSweep(test)).importFilesDeleted).toEqual({ count: 0, importIds: [] });
    await test.http.get(`/v1/imports/${succeeded.id}/report?format=csv`).set(asOperator()).expect(200);
    for (const id of [succeeded.id, failed.id, running]) expect(await storedPieces(id)).toBeGreaterThan(0);

    // Past it: the ended imports' files go, the running one's stays.
    const readBeforeTheSweep = (await findImport(test.app.db, succeeded.id))!;
    advanceHours(2);
    const sweep = await runLifecycleSweep(test);
    expect(sweep.importFilesDeleted.count).toBe(2);
    expect(sweep.importFilesDeleted.importIds.sort()).toEqual([succeeded.id, failed.id].sort());
    expect(await storedPieces(succeeded.id)).toBe(0);
    expect(await storedPieces(failed.id)).toBe(0);
    expect(await storedPieces(running)).toBeGreaterThan(0);

    // The import and its row results stay; the report says the file is gone, as a problem.
    const after = await test.http.get(`/v1/imports/${succeeded.id}`).set(asOperator()).expect(200);
    expect(after.body).toMatchObject({
      status: 'succeeded',
      fileDeletedAt: clock.now().toISOString(),
      counts: { created: 1 },
    });
    const gone = await test.http.get(`/v1/imports/${failed.id}/report?format=xlsx`).set(asOperator()).expect(410);
    expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(gone.body.code).toBe('IMPORT_FILE_DELETED');
    expect((await importRows(test, failed.id)).length).toBeGreaterThan(0);
    // A report begun just before the deletion fails rather than end early as if whole.
    const readAll = async () => {
      for await (const row of annotatedRows(test.app.db, readBeforeTheSweep, DEFAULT_SHEET_LIMITS)) void row;
    };
    await expect(readAll()).rejects.toMatchObject({ code: 'IMPORT_FILE_DELETED' });
    const stillThere = await test.http.get(`/v1/imports/${running}`).set(asOperator()).expect(200);
    expect(stillThere.body.fileDeletedAt).toBeNull();

    const events = await test.http
      .get(`/v1/audit-events?targetId=${succeeded.id}&action=import.file_deleted`)
      .set(asOperator())
      .expect(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      actor: { type: 'system', id: 'lifecycle.sweep' },
      cause: { sweepId: sweep.sweepId, rule: 'import_file_retention', retentionHours: 24 },
      before: { status: 'succeeded', fileSize: expect.any(Number) },
      after: { fileDeletedAt: clock.now().toISOString() },
    });

    // Done once: the next sweep finds nothing more to delete.
    advanceHours(1);
    expect((await runLifecycleSweep(test)).importFilesDeleted.count).toBe(0);
  });

  it('deletes in batches, however many imports ended', async () => {
    const structure = await createStructure(test);
    const ids: string[] = [];
    for (let index = 0; index < 23; index += 1)
      ids.push((await runImport(test, structure.id, loaduserCsv([validRow(`batch-${index}`)]))).id);
    advanceHours(25);
    const sweep = await runLifecycleSweep(test);
    // More than one batch of 20 (the first test's in-flight import, run by the drains since, may join them).
    expect(sweep.importFilesDeleted.count).toBeGreaterThanOrEqual(23);
    expect(sweep.importFilesDeleted.importIds).toEqual(expect.arrayContaining(ids));
    const [left] = await selectRows<{ pieces: number }>(
      test.app.db,
      sql`select count(*)::int as pieces from import_file_chunks c join imports i on i.id = c.import_id where i.structure_id = ${structure.id}`,
    );
    expect(left!.pieces).toBe(0);
  });
});
