import { bearer, createTestApp, type TestApp } from '../../test/harness';
import { createMailbox, createStructure, runImport, loaduserCsv, uniqueEmail, validRpps } from '../../test/factories';

/**
 * Every route that answers a JSON document or a file (the alimentation report) or a file in two
 * formats (exports, the template, an import's report) chooses by `format`, else by `Accept`.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';

let test: TestApp;
let structureId: string;
let importId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  await createMailbox(test, structureId, 'PER');
  const done = await runImport(
    test,
    structureId,
    loaduserCsv([{ A: uniqueEmail(), B: 'Martin', C: 'Léa', D: validRpps(), S: 'PER' }]),
  );
  importId = done.id;
});
afterAll(() => test.close());

const get = (url: string, accept?: string) => {
  const request = test.http
    .get(url)
    .set(bearer(test.operatorKey))
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  return accept === undefined ? request : request.set('accept', accept);
};

const report = () => `/v1/structures/${structureId}/alimentation-report`;
const sheets = () => [
  `/v1/structures/${structureId}/mailboxes/export`,
  `/v1/structures/${structureId}/deleted-mailboxes/export`,
  '/v1/imports/template',
  `/v1/imports/${importId}/report`,
];
const isZip = (body: Buffer) => body.subarray(0, 2).toString('latin1') === 'PK';

describe('the alimentation report', () => {
  it.each([
    ['no Accept', undefined, 'application/json'],
    ['*/*', '*/*', 'application/json'],
    ['application/json', 'application/json', 'application/json'],
    ['text/csv', 'text/csv', CSV],
    ['the xlsx type', XLSX, XLSX],
    ['csv preferred by q-value', 'application/json;q=0.5, text/csv;q=0.9, */*;q=0.1', CSV],
    ['xlsx preferred over a wildcard', `application/json;q=0.1, text/*;q=0.2, ${XLSX};q=0.9`, XLSX],
    ['json refused (q=0), anything else', 'application/json;q=0, */*', CSV],
  ])('answers %s with its choice', async (_label, accept, type) => {
    const response = await get(report(), accept).expect(200);
    expect(response.headers['content-type']).toContain(type);
    expect(response.headers.vary).toMatch(/\bAccept\b/);
    expect(response.headers.vary).toMatch(/\bAccept-Language\b/);
    const body = response.body as Buffer;
    if (type === 'application/json') expect(JSON.parse(body.toString('utf8'))).toMatchObject({ structureId });
    if (type === XLSX) expect(isZip(body)).toBe(true);
    if (type === CSV) expect(body.toString('utf8').startsWith('\ufeff')).toBe(true);
  });

  it('lets an explicit format win over Accept', async () => {
    const response = await get(`${report()}?format=csv`, 'application/json').expect(200);
    expect(response.headers['content-type']).toBe(CSV);
    expect(response.headers.vary).toMatch(/\bAccept\b/);
  });

  it('answers 406 listing the media types when Accept allows none of them', async () => {
    const response = await test.http
      .get(report())
      .set(bearer(test.operatorKey))
      .set('accept', 'application/pdf, image/*')
      .expect(406);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers.vary).toMatch(/\bAccept\b/);
    expect(response.body).toMatchObject({ status: 406, code: 'NOT_ACCEPTABLE' });
    expect(response.body.available).toEqual(['application/json', CSV, XLSX]);
  });
});

describe('the loaduser files (exports, template, import report)', () => {
  it.each([
    ['no Accept', undefined, XLSX],
    ['*/*', '*/*', XLSX],
    ['text/csv', 'text/csv', CSV],
    ['text/csv with its charset', 'text/csv; charset=utf-8', CSV],
    ['csv preferred by q-value', `${XLSX};q=0.3, text/csv;q=0.8`, CSV],
    ['a browser-like Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', XLSX],
  ])('answer %s with their choice', async (_label, accept, type) => {
    for (const url of sheets()) {
      const response = await get(url, accept).expect(200);
      expect({ url, type: response.headers['content-type'] }).toEqual({ url, type });
      expect(response.headers.vary).toMatch(/\bAccept\b/);
      expect(response.headers['content-disposition']).toContain(type === CSV ? '.csv"' : '.xlsx"');
      if (type === XLSX) expect(isZip(response.body as Buffer)).toBe(true);
    }
  });

  it('let an explicit format win over Accept', async () => {
    for (const url of sheets()) {
      const response = await get(`${url}?format=csv`, XLSX).expect(200);
      expect({ url, type: response.headers['content-type'] }).toEqual({ url, type: CSV });
    }
  });

  it('answer 406 to an Accept they cannot satisfy, JSON included, before any work', async () => {
    for (const url of sheets()) {
      const response = await test.http
        .get(url)
        .set(bearer(test.operatorKey))
        .set('accept', 'application/json')
        .expect(406);
      expect({ url, code: response.body.code, available: response.body.available }).toEqual({
        url,
        code: 'NOT_ACCEPTABLE',
        available: [XLSX, CSV],
      });
    }
  });
});
