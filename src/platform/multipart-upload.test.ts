import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { selectRows } from '../db/database';
import { bearer, createTestApp, type TestApp } from '../../test/harness';
import { createStructure, loaduserCsv, uniqueEmail, uploadImport, validRpps } from '../../test/factories';

let test: TestApp;
let structureId: string;
let uploadRoutes: [string, string][];
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  uploadRoutes = [
    ['the loaduser import', `/v1/structures/${structureId}/imports`],
    ['the reference extraction', '/v1/reference/extractions'],
  ];
});
afterAll(() => test.close());

const PROBLEM = /^application\/problem\+json/;
/** Rows either upload would have stored. */
const storedUploads = async () =>
  (
    await selectRows<{ count: number }>(
      test.app.db,
      sql`select (select count(*) from imports) + (select count(*) from reference_extractions) as count`,
    )
  )[0]!.count;

/** The sample ANS extraction: the reference route reads the header as it arrives, and would stop at anything else with a 415. */
const EXTRACTION = readFileSync(
  path.join(__dirname, '..', '..', 'test', 'fixtures', 'extraction-correspondance-mssante-sample.txt'),
  'utf8',
);
const filePart = (fileName: string, content = EXTRACTION) =>
  `--xyz\r\nContent-Disposition: form-data; name="file"; filename${fileName}\r\nContent-Type: text/csv\r\n\r\n${content}`;

/** Each case, on each upload route: a raw body and its Content-Type, the answer expected. */
const CASES: [string, string, string, number, { field: string; code: string }][] = [
  [
    'no boundary',
    'multipart/form-data',
    `${filePart('="a.csv"')}\r\n--xyz--\r\n`,
    400,
    { field: 'content-type', code: 'MULTIPART_BOUNDARY' },
  ],
  [
    'an empty boundary',
    'multipart/form-data; boundary=',
    `${filePart('="a.csv"')}\r\n--xyz--\r\n`,
    400,
    { field: 'content-type', code: 'MULTIPART_BOUNDARY' },
  ],
  [
    'a boundary over 70 characters',
    `multipart/form-data; boundary=${'x'.repeat(300)}`,
    'x',
    400,
    { field: 'content-type', code: 'MULTIPART_BOUNDARY' },
  ],
  [
    'a body that stops inside the file part',
    'multipart/form-data; boundary=xyz',
    filePart('="a.csv"'),
    400,
    { field: 'body', code: 'MULTIPART_MALFORMED' },
  ],
  [
    'two file parts (one file only: not a 413)',
    'multipart/form-data; boundary=xyz',
    `${filePart('="a.csv"')}\r\n${filePart('="b.csv"')}\r\n--xyz--\r\n`,
    400,
    { field: 'file', code: 'MULTIPART_FILES_LIMIT' },
  ],
  [
    'a NUL in the file name',
    'multipart/form-data; boundary=xyz',
    `${filePart('="a\u0000.csv"')}\r\n--xyz--\r\n`,
    400,
    { field: 'file', code: 'TEXT_NUL_CHARACTER' },
  ],
  [
    'a NUL in an RFC 5987 file name',
    'multipart/form-data; boundary=xyz',
    `${filePart("*=UTF-8''a%00.csv")}\r\n--xyz--\r\n`,
    400,
    { field: 'file', code: 'TEXT_NUL_CHARACTER' },
  ],
  [
    'a file name that is not UTF-8',
    'multipart/form-data; boundary=xyz',
    `${filePart("*=UTF-8''a%FF.csv")}\r\n--xyz--\r\n`,
    400,
    { field: 'file', code: 'FILE_NAME_INVALID' },
  ],
  [
    'a control character in the file name',
    'multipart/form-data; boundary=xyz',
    `${filePart("*=UTF-8''a%1B.csv")}\r\n--xyz--\r\n`,
    400,
    { field: 'file', code: 'FILE_NAME_INVALID' },
  ],
];

describe.each([0, 1])('a malformed multipart body on upload route %i', (routeIndex) => {
  it.each(CASES)(
    'answers %s with a problem naming what is wrong, storing nothing',
    async (_label, contentType, body, status, detail) => {
      const [, url] = uploadRoutes[routeIndex]!;
      const before = await storedUploads();
      const response = await test.http
        .post(url)
        .set(bearer(test.operatorKey))
        .set('content-type', contentType)
        .send(body)
        .timeout(10_000);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body.errors).toContainEqual(expect.objectContaining(detail));
      expect(await storedUploads()).toBe(before);
    },
  );
});

it("answers a part after the extraction's file with 400 naming it, storing nothing", async () => {
  const before = await storedUploads();
  const response = await test.http
    .post('/v1/reference/extractions')
    .set(bearer(test.operatorKey))
    .set('content-type', 'multipart/form-data; boundary=xyz')
    .send(
      `${filePart('="a.txt"')}\r\n--xyz\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhello\r\n--xyz--\r\n`,
    )
    .expect(400);
  expect(response.body.errors).toEqual([
    expect.objectContaining({ field: 'comment', code: 'MULTIPART_UNEXPECTED_PART' }),
  ]);
  expect(await storedUploads()).toBe(before);
});

it('still takes a well-formed upload with an accented file name', async () => {
  const csv = loaduserCsv([{ A: uniqueEmail(), B: 'Dupont', C: 'Jean', D: validRpps(), S: 'PER' }]);
  const response = await uploadImport(test, structureId, csv, {}, test.operatorKey, 'données été.csv').expect(202);
  expect(response.body.fileName).toBe('données été.csv');
});
