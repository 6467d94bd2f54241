import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createStructure } from '../../../test/factories';

const FIXTURE = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'extraction-correspondance-mssante-sample.txt');
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

describe('the reference extraction', () => {
  it('starts with nothing loaded', async () => {
    const reference = await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200);
    expect(reference.body).toEqual({ status: 'none', extractionId: null, sourceFile: null, rows: 0, loadedAt: null, latestExtraction: null });
  });

  it('stores the upload (202), loads it as a job, and puts it in force', async () => {
    const accepted = await upload(SAMPLE).expect(202);
    expect(accepted.headers.location).toBe(`/v1/reference/extractions/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ status: 'queued', sourceFile: 'Extraction_Correspondance_MSSante.txt', fileSize: SAMPLE.length, rows: 0 });
    expect((await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body.status).toBe('none');

    await test.app.jobs.drain();

    const loaded = await test.http.get(accepted.headers.location as string).set(bearer(test.operatorKey)).expect(200);
    // Three PER lines under an RPPS; the ORG line is not a professional.
    expect(loaded.body).toMatchObject({ status: 'succeeded', linesRead: 4, rows: 3, malformedLines: 0, error: null });
    const reference = await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200);
    expect(reference.body).toMatchObject({ status: 'loaded', extractionId: accepted.body.id, rows: 3, sourceFile: 'Extraction_Correspondance_MSSante.txt' });
    expect(await professionalsOf(accepted.body.id)).toEqual([
      { rpps: '10990000019', last_name: 'LEFÈVRE', first_name: 'Hélène', profession: '10' },
      { rpps: '10990000027', last_name: 'DUPONT', first_name: 'Laurent', profession: '21' },
      { rpps: '10990000035', last_name: 'NGUYEN', first_name: 'Thi', profession: '60' },
    ]);
    // The stored upload is gone once loaded; the upload and the load are audited.
    const chunks = await selectRows(test.app.db, sql`select 1 from reference_extraction_chunks where extraction_id = ${accepted.body.id}`);
    expect(chunks).toEqual([]);
    const events = await test.http.get(`/v1/audit-events?targetId=${accepted.body.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(events.body.items.map((event: { action: string; actor: { type: string } }) => [event.action, event.actor.type])).toEqual([
      ['reference.extraction.loaded', 'system'],
      ['reference.extraction.uploaded', 'api_key'],
    ]);
  });

  it('switches to a newer extraction and deletes the previous one\'s rows', async () => {
    const before = (await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body.extractionId as string;
    // CRLF line ends, a BOM, a short line and a blank line: read all the same.
    const lines = SAMPLE.toString('utf8').trimEnd().split('\n');
    const content = '\uFEFF' + [...lines.slice(0, 2), 'PER|truncated|8', '', lines[4]].join('\r\n') + '\r\n';
    const accepted = await upload(content, test.operatorKey, 'second.txt').expect(202);
    await test.app.jobs.drain();
    const reference = await test.http.get('/v1/reference').set(bearer(test.operatorKey)).expect(200);
    expect(reference.body).toMatchObject({ status: 'loaded', extractionId: accepted.body.id, rows: 1, sourceFile: 'second.txt' });
    expect(reference.body.latestExtraction).toMatchObject({ id: accepted.body.id, linesRead: 3, malformedLines: 1 });
    expect(await professionalsOf(before)).toEqual([]);
    const previous = await test.http.get(`/v1/reference/extractions/${before}`).set(bearer(test.operatorKey)).expect(200);
    expect(previous.body.status).toBe('superseded');
  });

  it.each([
    ['a loaduser CSV', 'Adresse mail;Nom;Prénom\na@b.fr;Dupont;Jean\n', 'EXTRACTION_LAYOUT'],
    ['a file with the columns shuffled', HEADER!.split('|').reverse().join('|') + '\n', 'EXTRACTION_HEADER'],
    ['an empty file', '', 'FILE_EMPTY'],
    ['a file in Windows-1252', Buffer.concat([Buffer.from(HEADER!.replace('Prénom', 'Pr'), 'utf8'), Buffer.from('\nPER|h\xe9l\xe8ne|8\n', 'latin1')]), 'EXTRACTION_HEADER'],
    ['a header followed by bytes that are not UTF-8', Buffer.concat([Buffer.from(HEADER + '\n', 'utf8'), Buffer.from('PER|h\xe9l\xe8ne|8\n', 'latin1')]), 'FILE_NOT_UTF8'],
  ])('refuses %s (415) and keeps nothing', async (_label, content: string | Buffer, code) => {
    const before = await selectRows<{ count: number }>(test.app.db, sql`select count(*)::int as count from reference_extractions`);
    const refused = await upload(content).expect(415);
    expect(refused.body.errors[0]).toMatchObject({ field: 'file', code });
    const after = await selectRows<{ count: number }>(test.app.db, sql`select count(*)::int as count from reference_extractions`);
    expect(after).toEqual(before);
  });

  it('refuses a request without a file part', async () => {
    const refused = await test.http.post('/v1/reference/extractions').set(bearer(test.operatorKey)).field('other', 'x').expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'file', code: 'FILE_REQUIRED' });
  });
});

describe('a load that fails', () => {
  it('retries, then fails for good leaving the reference in force and no partial rows', async () => {
    const inForce = (await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body;
    const accepted = await upload(SAMPLE, test.operatorKey, 'broken.txt').expect(202);
    // The stored upload gets damaged after the header check: every attempt of the job fails.
    await test.app.db.execute(sql`update reference_extraction_chunks set content = 'not|the|extraction' where extraction_id = ${accepted.body.id}`);
    await test.app.jobs.drain();
    const retrying = await test.http.get(`/v1/reference/extractions/${accepted.body.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(retrying.body).toMatchObject({ status: 'queued', error: expect.stringContaining('Not the ANS extraction') });
    for (let attempt = 2; attempt <= 3; attempt += 1) {
      // What an interrupted attempt may have left: the next one starts over.
      await test.app.db.execute(sql`insert into reference_professionals (extraction_id, rpps, last_name) values (${accepted.body.id}, '10990000019', 'PARTIAL')`);
      await test.app.db.execute(sql`update jobs set run_at = now() where name = 'reference.load' and status = 'queued'`);
      await test.app.jobs.drain();
    }
    const failed = await test.http.get(`/v1/reference/extractions/${accepted.body.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(failed.body.status).toBe('failed');
    expect(await professionalsOf(accepted.body.id)).toEqual([]);
    const chunks = await selectRows(test.app.db, sql`select 1 from reference_extraction_chunks where extraction_id = ${accepted.body.id}`);
    expect(chunks).toEqual([]);
    const after = (await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body;
    expect(after).toMatchObject({ status: 'loaded', extractionId: inForce.extractionId, rows: inForce.rows });
    expect(after.latestExtraction).toMatchObject({ id: accepted.body.id, status: 'failed' });
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
    const refused = await small.http.post('/v1/reference/extractions').set(bearer(small.operatorKey)).attach('file', big, 'big.txt').expect(413);
    expect(refused.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await selectRows(small.app.db, sql`select 1 from reference_extractions`)).toEqual([]);
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
    const latest = (await test.http.get('/v1/reference').set(bearer(test.operatorKey))).body.latestExtraction.id as string;
    await test.http.get(`/v1/reference/extractions/${latest}`).set(bearer(admin.key)).expect(403);
    await test.http.get('/v1/reference').expect(401);
    // What is loaded is public ANS data: every role may read it.
    await test.http.get('/v1/reference').set(bearer(reader.key)).expect(200);
  });
});
