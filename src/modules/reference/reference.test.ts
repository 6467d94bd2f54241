import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createStructure } from '../../../test/factories';

const FIXTURE = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'extraction-correspondance-mssante-sample.txt',
);
const SAMPLE = readFileSync(FIXTURE);
const [HEADER] = SAMPLE.toString('utf8').split('\n');

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const upload = (content: Buffer | string, key = test.operatorKey, fileName = 'Extraction_Correspondance_MSSante.txt') =>
  test.http.post('/v1/reference/extractions').set(bearer(key)).attach('file', Buffer.from(content), fileName);

const professionalsOf = (extractionId: string) =>
  selectRows<{ rpps: string; last_name: string; first_name: string | null; profession: string | null }>(
    test.app.db,
    sql`select rpps, last_name, first_name, profession from reference_professionals where extraction_id = ${extractionId} order by rpps`,
  );

/** The table an upload stages its professionals in (attached to reference_professionals once loaded). */
const stagingTableName = (extractionId: string) => `reference_professionals_${extractionId.replaceAll('-', '')}`;
const stagingTableOf = (extractionId: string) => sql.identifier(stagingTableName(extractionId));
const tableExists = async (extractionId: string) =>
  (
    await selectRows<{ name: string | null }>(
      test.app.db,
      sql`select to_regclass(${stagingTableName(extractionId)})::text as name`,
    )
  )[0]!.name !== null;
const PROFESSIONALS_TABLES = sql`select 1 from pg_class where relkind = 'r' and relname ~ '^reference_professionals_[0-9a-f]{32}$'`;
/** How many per-extraction tables exist, staged or attached. */
const countProfessionalsTables = async () => (await selectRows(test.app.db, PROFESSIONALS_TABLES)).length;
const currentReference = async () =>
  (await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200)).body;
/** Makes the staged table unfit to be attached (a column the parent lacks): the load fails until it is undone. */
const breakStagingTable = (extractionId: string) =>
  test.app.db.execute(sql`alter table ${stagingTableOf(extractionId)} add column unexpected integer`);
const repairStagingTable = (extractionId: string) =>
  test.app.db.execute(sql`alter table ${stagingTableOf(extractionId)} drop column unexpected`);
const runQueuedLoadsNow = async () => {
  await test.app.db.execute(sql`update jobs set run_at = now() where name = 'reference.load' and status = 'queued'`);
  await test.app.jobs.drain();
};

describe('the reference extraction', () => {
  it('starts with nothing loaded', async () => {
    const reference = await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200);
    expect(reference.body).toEqual({
      status: 'none',
      extractionId: null,
      sourceFile: null,
      rows: 0,
      loadedAt: null,
      latestExtraction: null,
    });
  });

  it('stores the upload (202), loads it as a job, and puts it in force', async () => {
    const accepted = await upload(SAMPLE).expect(202);
    expect(accepted.headers.location).toBe(`/v1/reference/extractions/${accepted.body.id}`);
    // Read on arrival: the counts are known at once, the rows staged out of the readers' sight.
    expect(accepted.body).toMatchObject({
      status: 'queued',
      sourceFile: 'Extraction_Correspondance_MSSante.txt',
      fileSize: SAMPLE.length,
      linesRead: 4,
      rows: 3,
    });
    expect((await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body.status).toBe('none');
    expect(await professionalsOf(accepted.body.id)).toEqual([]);

    await test.app.jobs.drain();

    const loaded = await test.http
      .get(accepted.headers.location as string)
      .set(bearer(test.operatorKey))
      .expect(200);
    // Three PER lines under an RPPS; the ORG line is not a professional.
    expect(loaded.body).toMatchObject({ status: 'succeeded', linesRead: 4, rows: 3, malformedLines: 0, error: null });
    const reference = await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200);
    expect(reference.body).toMatchObject({
      status: 'loaded',
      extractionId: accepted.body.id,
      rows: 3,
      sourceFile: 'Extraction_Correspondance_MSSante.txt',
    });
    expect(await professionalsOf(accepted.body.id)).toEqual([
      { rpps: '10990000019', last_name: 'LEFÈVRE', first_name: 'Hélène', profession: '10' },
      { rpps: '10990000027', last_name: 'DUPONT', first_name: 'Laurent', profession: '21' },
      { rpps: '10990000035', last_name: 'NGUYEN', first_name: 'Thi', profession: '60' },
    ]);
    // The upload and the load are audited.
    const events = await test.http
      .get(`/v1/audit-events?targetId=${accepted.body.id}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(
      events.body.items.map((event: { action: string; actor: { type: string } }) => [event.action, event.actor.type]),
    ).toEqual([
      ['reference.extraction.loaded', 'system'],
      ['reference.extraction.uploaded', 'api_key'],
    ]);
  });

  it("switches to a newer extraction, keeping the previous one's rows until the next load", async () => {
    const before = (await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body.extractionId as string;
    // CRLF line ends, a BOM, a short line and a blank line: read all the same.
    const lines = SAMPLE.toString('utf8').trimEnd().split('\n');
    const content = '\uFEFF' + [...lines.slice(0, 2), 'PER|truncated|8', '', lines[4]].join('\r\n') + '\r\n';
    const accepted = await upload(content, test.operatorKey, 'second.txt').expect(202);
    await test.app.jobs.drain();
    const reference = await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200);
    expect(reference.body).toMatchObject({
      status: 'loaded',
      extractionId: accepted.body.id,
      rows: 1,
      sourceFile: 'second.txt',
    });
    expect(reference.body.latestExtraction).toMatchObject({ id: accepted.body.id, linesRead: 3, malformedLines: 1 });
    // A report that read which reference was in force just before the switch still finds its rows.
    expect((await professionalsOf(before)).length).toBe(3);
    const previous = await test.http
      .get(`/v1/reference/extractions/${before}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(previous.body.status).toBe('superseded');

    const third = await upload(SAMPLE, test.operatorKey, 'third.txt').expect(202);
    await test.app.jobs.drain();
    expect(await currentReference()).toMatchObject({ extractionId: third.body.id, rows: 3 });
    expect(await professionalsOf(before)).toEqual([]);
    expect(await tableExists(before)).toBe(false);
    expect(await professionalsOf(accepted.body.id)).toHaveLength(1);
  });

  it.each([
    ['a loaduser CSV', 'Adresse mail;Nom;Prénom\na@b.fr;Dupont;Jean\n', 'EXTRACTION_LAYOUT'],
    ['a file with the columns shuffled', HEADER!.split('|').reverse().join('|') + '\n', 'EXTRACTION_HEADER'],
    ['an empty file', '', 'FILE_EMPTY'],
    [
      'a file in Windows-1252',
      Buffer.concat([
        Buffer.from(HEADER!.replace('Prénom', 'Pr'), 'utf8'),
        Buffer.from('\nPER|h\xe9l\xe8ne|8\n', 'latin1'),
      ]),
      'EXTRACTION_HEADER',
    ],
    [
      'a header followed by bytes that are not UTF-8',
      Buffer.concat([Buffer.from(HEADER + '\n', 'utf8'), Buffer.from('PER|h\xe9l\xe8ne|8\n', 'latin1')]),
      'FILE_NOT_UTF8',
    ],
    ['a file with a NUL character', Buffer.concat([SAMPLE, Buffer.from('PER|\u0000|8\n')]), 'FILE_NOT_UTF8'],
    // Rows were already on their way to the database when the bad bytes came.
    [
      'a file whose bytes stop being UTF-8 megabytes in',
      Buffer.concat([
        SAMPLE,
        Buffer.from(SAMPLE.toString('utf8').split('\n')[1]!.concat('\n').repeat(20_000)),
        Buffer.from('PER|h\xe9l\xe8ne|8\n', 'latin1'),
      ]),
      'FILE_NOT_UTF8',
    ],
  ])('refuses %s (415) and keeps nothing', async (_label, content: string | Buffer, code) => {
    const before = await selectRows<{ count: number }>(
      test.app.db,
      sql`select count(*)::int as count from reference_extractions`,
    );
    const tablesBefore = await countProfessionalsTables();
    const refused = await upload(content).expect(415);
    expect(refused.body.errors[0]).toMatchObject({ field: 'file', code });
    const after = await selectRows<{ count: number }>(
      test.app.db,
      sql`select count(*)::int as count from reference_extractions`,
    );
    expect(after).toEqual(before);
    expect(await countProfessionalsTables()).toBe(tablesBefore);
  });

  it('reads a file much larger than one network read, a line at a time whatever the cuts', async () => {
    const lines = SAMPLE.toString('utf8').trimEnd().split('\n');
    const many = [lines[0], ...Array.from({ length: 20_000 }, (_unused, index) => lines[1 + (index % 4)])].join('\n');
    const accepted = await upload(many, test.operatorKey, 'many.txt').expect(202);
    expect(accepted.body).toMatchObject({ linesRead: 20_000, rows: 15_000, malformedLines: 0 });
    await test.app.jobs.drain();
    const loaded = await professionalsOf(accepted.body.id);
    expect(loaded).toHaveLength(15_000);
    expect(
      loaded
        .filter((row) => row.rpps === '10990000019')
        .every((row) => row.last_name === 'LEFÈVRE' && row.first_name === 'Hélène'),
    ).toBe(true);
  });

  it('refuses a request without a file part', async () => {
    const refused = await test.http
      .post('/v1/reference/extractions')
      .set(bearer(test.operatorKey))
      .field('other', 'x')
      .expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'file', code: 'FILE_REQUIRED' });
  });
});

describe('a load that fails', () => {
  it('retries, then fails for good leaving the reference in force and no staged rows', async () => {
    const inForce = await currentReference();
    const accepted = await upload(SAMPLE, test.operatorKey, 'broken.txt').expect(202);
    await breakStagingTable(accepted.body.id);
    await test.app.jobs.drain();
    const retrying = await test.http
      .get(`/v1/reference/extractions/${accepted.body.id}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(retrying.body).toMatchObject({ status: 'queued', error: expect.stringContaining('unexpected') });
    expect(await currentReference()).toMatchObject({ extractionId: inForce.extractionId });
    for (let attempt = 2; attempt <= 3; attempt += 1) await runQueuedLoadsNow();
    const failed = await test.http
      .get(`/v1/reference/extractions/${accepted.body.id}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(failed.body.status).toBe('failed');
    expect(await professionalsOf(accepted.body.id)).toEqual([]);
    expect(await tableExists(accepted.body.id)).toBe(false);
    const after = await currentReference();
    expect(after).toMatchObject({ status: 'loaded', extractionId: inForce.extractionId, rows: inForce.rows });
    expect(after.latestExtraction).toMatchObject({ id: accepted.body.id, status: 'failed' });
    expect((await professionalsOf(inForce.extractionId)).length).toBe(inForce.rows);
  });

  it('starts over on the next attempt, which puts the extraction in force', async () => {
    const inForce = await currentReference();
    const accepted = await upload(SAMPLE, test.operatorKey, 'retried.txt').expect(202);
    await breakStagingTable(accepted.body.id);
    await test.app.jobs.drain();
    expect(
      (await test.http.get(`/v1/reference/extractions/${accepted.body.id}`).set(bearer(test.operatorKey))).body.status,
    ).toBe('queued');
    // Nothing of the failed attempt stayed: neither an index nor the attachment.
    const indexes = await selectRows(
      test.app.db,
      sql`select 1 from pg_indexes where tablename = ${stagingTableName(accepted.body.id as string)}`,
    );
    expect(indexes).toEqual([]);
    await repairStagingTable(accepted.body.id);
    await runQueuedLoadsNow();
    expect(await currentReference()).toMatchObject({ status: 'loaded', extractionId: accepted.body.id, rows: 3 });
    expect(await professionalsOf(accepted.body.id)).toHaveLength(3);
    const previous = await test.http
      .get(`/v1/reference/extractions/${inForce.extractionId}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(previous.body.status).toBe('superseded');
  });

  it('changes nothing when run again once done, as by a runner that took over a lapsed lease', async () => {
    const inForce = await currentReference();
    await test.app.db.execute(
      sql`update jobs set status = 'queued', run_at = now() where name = 'reference.load' and payload->>'extractionId' = ${inForce.extractionId}`,
    );
    await test.app.jobs.drain();
    const job = await selectRows<{ status: string; result: unknown }>(
      test.app.db,
      sql`select status, result from jobs where name = 'reference.load' and payload->>'extractionId' = ${inForce.extractionId}`,
    );
    expect(job).toEqual([{ status: 'succeeded', result: { skipped: 'not pending' } }]);
    expect(await currentReference()).toEqual(inForce);
  });

  it('drops the tables of failed loads and of earlier references at the next load', async () => {
    const failedId = (
      await selectRows<{ id: string }>(
        test.app.db,
        sql`select id from reference_extractions where source_file = 'broken.txt'`,
      )
    )[0]!.id;
    const superseded = await selectRows<{ id: string }>(
      test.app.db,
      sql`select id from reference_extractions where status = 'superseded'`,
    );
    expect(superseded.length).toBeGreaterThan(0);
    // What a crashed last attempt may leave: the staged table of a failed load.
    await test.app.db.execute(sql`create table ${stagingTableOf(failedId)} (like reference_professionals)`);
    const inForce = await currentReference();
    await upload(SAMPLE, test.operatorKey, 'next.txt').expect(202);
    await test.app.jobs.drain();
    expect(await tableExists(failedId)).toBe(false);
    for (const { id } of superseded) expect(await tableExists(id)).toBe(false);
    // The reference just superseded keeps its rows until the load after.
    expect((await professionalsOf(inForce.extractionId)).length).toBe(inForce.rows);
  });
});

describe('an upload over the limit', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ environment: { BALISE_REFERENCE_UPLOAD_MAX_BYTES: '1024' } });
  });
  afterAll(() => small.close());

  it('is refused (413) and leaves nothing', async () => {
    const big = Buffer.concat([SAMPLE, Buffer.alloc(4096, 'x')]);
    const refused = await small.http
      .post('/v1/reference/extractions')
      .set(bearer(small.operatorKey))
      .attach('file', big, 'big.txt')
      .expect(413);
    expect(refused.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await selectRows(small.app.db, sql`select 1 from reference_extractions`)).toEqual([]);
    expect(await selectRows(small.app.db, PROFESSIONALS_TABLES)).toEqual([]);
  });
});

describe('reference security', () => {
  it('needs a key, and lets only the operator upload or follow a load', async () => {
    const structureId = (await createStructure(test)).id;
    const admin = await createApiKey(test, 'admin', [structureId]);
    const reader = await createApiKey(test, 'reader', [structureId]);
    await test.http.post('/v1/reference/extractions').attach('file', SAMPLE, 'x.txt').expect(401);
    await upload(SAMPLE, admin.key).expect(403);
    await upload(SAMPLE, reader.key).expect(403);
    const latest = (await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body.latestExtraction
      .id as string;
    await test.http.get(`/v1/reference/extractions/${latest}`).set(bearer(admin.key)).expect(403);
    await test.http.get('/v1/reference').expect(401);
    // What is loaded is public ANS data: every role may read it.
    await test.http.get('/v1/reference').set(bearer(reader.key)).expect(200);
  });
});
