import { LOADUSER_TEST_HEADERS } from './loaduser-test-headers';
import { randomBytes } from 'node:crypto';
import type { TestApp } from './harness';
import { bearer } from './harness';
import { withLuhnKey } from '../src/domain/luhn';

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence += 1).toString(36)}${randomBytes(2).toString('hex')}`;

const randomDigits = (count: number) => Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');
export const validFiness = () => withLuhnKey('01' + randomDigits(6));
export const validSiret = () => withLuhnKey('4' + randomDigits(12));
export const validRpps = () => withLuhnKey('10' + randomDigits(8));
export const uniqueDomain = () => `s${unique()}.mssante.fr`;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${unique()}@hopital.example.fr`;

export async function createStructure(test: TestApp, overrides: Record<string, unknown> = {}) {
  const response = await test.http
    .post('/v1/structures')
    .set(bearer(test.operatorKey))
    .send({ name: `Structure ${unique()}`, finess: validFiness(), domains: [uniqueDomain()], ...overrides });
  if (response.status !== 201) throw new Error(`createStructure: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; domains: string[] };
}

export async function createApiKey(test: TestApp, role: 'operator' | 'admin' | 'reader', structureIds: string[] = []) {
  const response = await test.http
    .post('/v1/api-keys')
    .set(bearer(test.operatorKey))
    .send({ name: `${role} ${unique()}`, role, structureIds });
  if (response.status !== 201) throw new Error(`createApiKey: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; key: string };
}

export type MailboxKind = 'PER' | 'MED' | 'INT' | 'ORG' | 'APP';

/** A valid body for each type, so tests only spell out what they are about. */
export function mailboxBody(structureId: string, type: MailboxKind = 'PER', overrides: Record<string, unknown> = {}) {
  const base: Record<string, unknown> = {
    structureId,
    type,
    email: uniqueEmail(type.toLowerCase()),
    lastName: 'Dupont',
    firstName: 'Jean',
  };
  if (type === 'PER') Object.assign(base, { rpps: validRpps(), profession: '10' });
  if (type === 'ORG' || type === 'APP') {
    Object.assign(base, {
      lastName: type === 'ORG' ? 'Service BE' : 'Résultats labo',
      firstName: 'IES Sud',
      description: type === 'ORG' ? 'Secrétariat du bureau des entrées' : 'Envoi automatique des résultats',
      responsible: { lastName: 'Martin', firstName: 'Claire', profession: '10', rpps: validRpps() },
    });
  }
  return { ...base, ...overrides };
}

export async function createMailbox(
  test: TestApp,
  structureId: string,
  type: MailboxKind = 'PER',
  overrides: Record<string, unknown> = {},
  key = test.operatorKey,
) {
  const response = await test.http
    .post('/v1/mailboxes')
    .set(bearer(key))
    .send(mailboxBody(structureId, type, overrides));
  if (response.status !== 201) throw new Error(`createMailbox: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; email: string; status: string; structureId: string; type: MailboxKind };
}

/** Gives a box the MSSanté address `localPart@domain` (domain omitted: the structure's first). */
export async function assignCorrespondence(
  test: TestApp,
  mailboxId: string,
  localPart: string,
  domain?: string,
  key = test.operatorKey,
) {
  const response = await test.http
    .put(`/v1/mailboxes/${mailboxId}/correspondence`)
    .set(bearer(key))
    .send(domain === undefined ? { localPart } : { localPart, domain });
  if (response.status !== 200)
    throw new Error(`assignCorrespondence: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as {
    mailboxId: string;
    current: { address: string; isTest: boolean };
    history: { address: string }[];
  };
}

/** A local part no other test uses. */
export const uniqueLocalPart = (prefix = 'bal') => `${prefix}.${unique()}`;

export interface SweepStep {
  count: number;
  mailboxIds: string[];
}
export interface SweepReportBody {
  sweepId: string;
  deactivated: SweepStep;
  warned: SweepStep & { adminNotices: number };
  deleted: SweepStep;
  purged: SweepStep;
  importFilesDeleted: { count: number; importIds: string[] };
  auditEventsDeleted: { count: number };
}

/** Runs a lifecycle sweep now, as the operator, and answers its report. */
export async function runLifecycleSweep(test: TestApp): Promise<SweepReportBody> {
  const response = await test.http.post('/v1/lifecycle/sweeps').set(bearer(test.operatorKey));
  if (response.status !== 200)
    throw new Error(`runLifecycleSweep: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as SweepReportBody;
}

/** Reports that a box was used, as the mail platform does (operator key); `at` defaults to the app's now. */
export async function reportMailboxActivity(test: TestApp, mailboxId: string, at?: string) {
  const response = await test.http
    .post(`/v1/mailboxes/${mailboxId}/activity`)
    .set(bearer(test.operatorKey))
    .send(at ? { at } : {});
  if (response.status !== 204)
    throw new Error(`reportMailboxActivity: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A loaduser CSV (`;`, UTF-8) from rows given by column letter, e.g. `{ A: 'x@y.fr', S: 'PER' }`. */
export function loaduserCsv(rows: Record<string, string>[]): Buffer {
  const letters = LOADUSER_TEST_HEADERS.map((_header, index) =>
    index < 26 ? String.fromCharCode(65 + index) : `A${String.fromCharCode(65 + index - 26)}`,
  );
  const quote = (cell: string) => (/[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const lines = [
    LOADUSER_TEST_HEADERS.join(';'),
    ...rows.map((row) => letters.map((letter) => quote(row[letter] ?? '')).join(';')),
  ];
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

/** Uploads a loaduser file; `fields` are the form's options. Answers the raw response. */
export function uploadImport(
  test: TestApp,
  structureId: string,
  file: Buffer,
  fields: Record<string, string> = {},
  key = test.operatorKey,
  fileName = 'loaduser.csv',
) {
  const request = test.http.post(`/v1/structures/${structureId}/imports`).set(bearer(key));
  for (const [name, value] of Object.entries(fields)) void request.field(name, value);
  return request.attach('file', file, fileName);
}

/** Uploads, runs the queued jobs, and answers the finished import. */
export async function runImport(
  test: TestApp,
  structureId: string,
  file: Buffer,
  fields: Record<string, string> = {},
  fileName = 'loaduser.csv',
) {
  const response = await uploadImport(test, structureId, file, fields, test.operatorKey, fileName);
  if (response.status !== 202) throw new Error(`runImport: ${response.status} ${JSON.stringify(response.body)}`);
  await test.app.jobs.drain();
  const done = await test.http.get(`/v1/imports/${response.body.id}`).set(bearer(test.operatorKey));
  return done.body as {
    id: string;
    status: string;
    counts: { created: number; updated: number; unchanged: number; failed: number };
    error: {
      code: string;
      detail: string;
      errors?: { row?: number; column?: string; code: string }[];
      template?: string;
    } | null;
    progress: { phase: string; rowsRead: number; totalRows: number | null; rowsApplied: number };
  };
}

/** Every row result of an import (all pages). */
export async function importRows(test: TestApp, importId: string, outcome?: string) {
  const response = await test.http
    .get(`/v1/imports/${importId}/rows?limit=500${outcome ? `&outcome=${outcome}` : ''}`)
    .set(bearer(test.operatorKey));
  if (response.status !== 200) throw new Error(`importRows: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.items as {
    rowNumber: number;
    email: string | null;
    outcome: string;
    mailboxId: string | null;
    errors: { row: number; column: string; header: string; code: string; message: string }[];
    warnings: { row: number; column: string; header: string; code: string; message: string }[];
  }[];
}

/** A valid box: a self sign-up (pending) validated by the operator. */
export async function createValidMailbox(
  test: TestApp,
  structureId: string,
  type: MailboxKind = 'PER',
  overrides: Record<string, unknown> = {},
) {
  const registered = await test.http.post('/v1/registrations').send(mailboxBody(structureId, type, overrides));
  if (registered.status !== 201)
    throw new Error(`createValidMailbox: ${registered.status} ${JSON.stringify(registered.body)}`);
  const validated = await test.http
    .post(`/v1/mailboxes/${registered.body.id as string}/validate`)
    .set(bearer(test.operatorKey));
  if (validated.status !== 200)
    throw new Error(`createValidMailbox: ${validated.status} ${JSON.stringify(validated.body)}`);
  return validated.body as { id: string; email: string; status: string; structureId: string; type: MailboxKind };
}

/** The ANS extraction sample (four lines: three PER under an RPPS, one ORG). */
export const REFERENCE_FIXTURE = `${__dirname}/fixtures/extraction-correspondance-mssante-sample.txt`;

/** Uploads an ANS extraction as the operator and runs the load job: it is the reference in force after. */
export async function loadReferenceExtraction(
  test: TestApp,
  content: Buffer,
  fileName = 'Extraction_Correspondance_MSSante.txt',
) {
  const response = await test.http
    .post('/v1/reference/extractions')
    .set(bearer(test.operatorKey))
    .attach('file', content, fileName);
  if (response.status !== 202)
    throw new Error(`loadReferenceExtraction: ${response.status} ${JSON.stringify(response.body)}`);
  await test.app.jobs.drain();
  return response.body as { id: string };
}

/** Two structures, and an admin and a reader of the first: the cast of every scoping test. */
export async function createScopingCast(
  test: TestApp,
  structure: Record<string, unknown> | (() => Record<string, unknown>) = {},
) {
  const overrides = typeof structure === 'function' ? structure : () => structure;
  const mine = (await createStructure(test, overrides())).id;
  const theirs = (await createStructure(test, overrides())).id;
  const adminKey = (await createApiKey(test, 'admin', [mine])).key;
  const readerKey = (await createApiKey(test, 'reader', [mine])).key;
  return { mine, theirs, adminKey, readerKey };
}

/**
 * Calls the change-of-mail tests make again and again, as the operator, on one structure.
 * Getters, because test files create their app and structure in beforeAll.
 */
export function emailChangeClient(currentTest: () => TestApp, structureId: () => string) {
  const http = () => currentTest().http;
  const asOperator = () => bearer(currentTest().operatorKey);
  const requestChange = (mailboxId: string, newEmail: string) =>
    http().post(`/v1/mailboxes/${mailboxId}/email-change-requests`).set(asOperator()).send({ newEmail });
  const act = (requestId: string, action: 'approve' | 'reject' | 'cancel', body?: object) => {
    const call = http().post(`/v1/email-change-requests/${requestId}/${action}`).set(asOperator());
    return body ? call.send(body) : call;
  };
  const getMailbox = async (id: string) => (await http().get(`/v1/mailboxes/${id}`).set(asOperator()).expect(200)).body;
  const auditActions = async (query: string) =>
    (await http().get(`/v1/audit-events?${query}`).set(asOperator()).expect(200)).body.items.map(
      (event: { action: string }) => event.action,
    );
  const pendingRequest = async (newEmail = uniqueEmail('new')) => {
    const box = await createMailbox(currentTest(), structureId());
    const created = await requestChange(box.id, newEmail).expect(201);
    return { box, request: created.body as { id: string; newEmail: string; status: string } };
  };
  return { asOperator, requestChange, act, getMailbox, auditActions, pendingRequest };
}
