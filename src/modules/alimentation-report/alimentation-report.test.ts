import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createApiKey,
  createMailbox,
  createStructure,
  createValidMailbox,
  loadReferenceExtraction,
  REFERENCE_FIXTURE,
  uniqueLocalPart,
  validRpps,
  type MailboxKind,
} from '../../../test/factories';
import { ALIMENTATION_RULE_CODES, ALIMENTATION_RULES } from './rules';

const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let test: TestApp;
let main: string;
let withoutNationalId: string;
let withWrongKey: string;
/** Box name → its id, for the expectations below. */
const boxes: Record<string, string> = {};
/** Boxes the report must leave out (not fed). */
const notFed: string[] = [];

const asOperator = () => bearer(test.operatorKey);
const report = (structureId: string, query = '', headers: Record<string, string> = {}) =>
  test.http.get(`/v1/structures/${structureId}/alimentation-report${query}`).set({ ...asOperator(), ...headers });

async function box(
  name: string,
  structureId: string,
  type: MailboxKind,
  overrides: Record<string, unknown> = {},
  withAddress = true,
) {
  const created = await createMailbox(test, structureId, type, overrides);
  if (withAddress) await assignCorrespondence(test, created.id, uniqueLocalPart(type.toLowerCase()));
  boxes[name] = created.id;
  return created.id;
}

interface Item {
  mailboxId: string;
  rule: string;
  severity: string;
  message: string;
  type: string;
  field: string;
  email: string;
}

/** Each box's rules, from every item of a report. */
function rulesByBox(items: Item[]): Record<string, string[]> {
  const names = Object.fromEntries(Object.entries(boxes).map(([name, id]) => [id, name]));
  const byBox: Record<string, string[]> = {};
  for (const item of items) (byBox[names[item.mailboxId] ?? item.mailboxId] ??= []).push(item.rule);
  return byBox;
}

beforeAll(async () => {
  test = await createTestApp({ clock });
  main = (await createStructure(test)).id;
  withoutNationalId = (await createStructure(test, { finess: null })).id;
  withWrongKey = (await createStructure(test)).id;
  const named = { rpps: '10990000027', lastName: 'Dupont', firstName: 'Laurent', profession: '21' };

  await box('clean', main, 'PER', named);
  boxes.noAddress = (
    await createValidMailbox(test, main, 'PER', {
      rpps: '10990000035',
      lastName: 'Nguyen',
      firstName: 'Thi',
      profession: '60',
    })
  ).id;
  await box('intWithoutRpps', main, 'INT', { profession: '60' });
  await box('adeliOnly', main, 'PER', { ...named, rpps: null, adeli: '123456789' });
  await box('bareOrg', main, 'ORG', { responsible: null, description: null });
  await box('appResponsibleWithoutId', main, 'APP', {
    responsible: { lastName: 'Martin', firstName: 'Claire', profession: '10' },
  });
  await box('perWithResponsible', main, 'PER', named);
  // No API path stores a responsible on a PER box (refused at the door): written straight to the database.
  await test.app.db
    .execute(sql`update mailboxes set responsible = ${JSON.stringify({ lastName: 'Martin', firstName: 'Claire' })}::jsonb
    where id = ${boxes.perWithResponsible!}`);
  await box('noProfession', main, 'PER', { ...named, profession: null });
  await box('deprecatedProfession', main, 'PER', { ...named, profession: '93' });
  await box('unknownRpps', main, 'PER', {
    rpps: validRpps(),
    lastName: 'Inconnu',
    firstName: 'Jean',
    profession: '10',
  });
  await box('otherName', main, 'PER', {
    rpps: '10990000019',
    lastName: 'Martin',
    firstName: 'Hélène',
    profession: '10',
  });
  await box('expired', main, 'PER', { ...named, expiresAt: '2026-03-01' });
  await box('offDomain', main, 'PER', named);
  // Structures only hold .mssante.fr domains (refused at the door): an address from before that rule, written directly.
  await test.app.db
    .execute(sql`update mssante_addresses set domain = 'ch-exemple.fr', address = local_part || '@ch-exemple.fr'
    where mailbox_id = ${boxes.offDomain!} and withdrawn_at is null`);
  await box('orgWithoutNationalId', withoutNationalId, 'ORG');
  await box('orgWithWrongKey', withWrongKey, 'ORG');
  // FINESS keys are checked at the door too: a wrong one can only come from older data.
  await test.app.db.execute(sql`update structures set finess = '010000603' where id = ${withWrongKey}`);

  // Not fed, so never reported, whatever their data.
  notFed.push((await createMailbox(test, main, 'MED')).id);
  notFed.push((await createMailbox(test, main, 'PER', { isTest: true, profession: null })).id);
  notFed.push(
    (
      await test.http
        .post('/v1/registrations')
        .send({ structureId: main, type: 'INT', email: `pending.${Date.now()}@h.fr`, lastName: 'A', firstName: 'B' })
    ).body.id,
  );
  const rejected = await test.http
    .post('/v1/registrations')
    .send({ structureId: main, type: 'INT', email: `rejected.${Date.now()}@h.fr`, lastName: 'A', firstName: 'B' });
  await test.http.post(`/v1/mailboxes/${rejected.body.id}/reject`).set(asOperator()).expect(200);
  notFed.push(rejected.body.id);
  const deactivated = await createMailbox(test, main, 'ORG', { responsible: null });
  await test.http.post(`/v1/mailboxes/${deactivated.id}/deactivate`).set(asOperator()).expect(200);
  notFed.push(deactivated.id);
  const deleted = await createMailbox(test, main, 'INT');
  await test.http.delete(`/v1/mailboxes/${deleted.id}`).set(asOperator()).expect(200);
  notFed.push(deleted.id);
});
afterAll(() => test.close());

describe('the alimentation report without a reference', () => {
  it('keeps the two reference rules silent and says no reference is loaded', async () => {
    const response = await report(main, '?limit=500').expect(200);
    expect(response.body.reference).toBeNull();
    const rules = response.body.items.map((item: Item) => item.rule);
    expect(rules).not.toContain('RPPS_NOT_IN_REFERENCE');
    expect(rules).not.toContain('NAME_MISMATCH_REFERENCE');
  });
});

describe('the alimentation report', () => {
  beforeAll(async () => {
    await loadReferenceExtraction(test, readFileSync(REFERENCE_FIXTURE));
  });

  it("finds on each box exactly the rules it breaks, in the catalogue's order", async () => {
    const response = await report(main, '?limit=500').expect(200);
    expect(response.headers['content-language']).toBe('en');
    expect(response.body.reference).toMatchObject({ sourceFile: 'Extraction_Correspondance_MSSante.txt' });
    expect(rulesByBox(response.body.items)).toEqual({
      noAddress: ['MISSING_CORRESPONDENCE'],
      intWithoutRpps: ['INT_WITHOUT_RPPS', 'INT_WITHOUT_EXPIRY'],
      adeliOnly: ['ADELI_ONLY'],
      bareOrg: ['ORG_WITHOUT_RESPONSIBLE', 'ORG_WITHOUT_DESCRIPTION', 'ORG_WITHOUT_CONNECTION_ACCOUNT'],
      appResponsibleWithoutId: ['RESPONSIBLE_WITHOUT_IDENTIFIER'],
      perWithResponsible: ['PER_WITH_RESPONSIBLE'],
      noProfession: ['PROFESSION_UNKNOWN'],
      deprecatedProfession: ['PROFESSION_DEPRECATED'],
      unknownRpps: ['RPPS_NOT_IN_REFERENCE'],
      otherName: ['NAME_MISMATCH_REFERENCE'],
      expired: ['EXPIRY_PASSED'],
      offDomain: ['DOMAIN_NOT_MSSANTE'],
    });
    const ids = response.body.items.map((item: Item) => item.mailboxId);
    expect(ids).toEqual([...ids].sort());
    for (const id of notFed) expect(ids).not.toContain(id);
    expect(response.body.items.find((item: Item) => item.rule === 'DOMAIN_NOT_MSSANTE')).toMatchObject({
      mailboxId: boxes.offDomain,
      type: 'PER',
      severity: 'blocking',
      field: 'correspondence.domain',
      message: 'The MSSanté address is not on a domain ending in .mssante.fr.',
    });
  });

  it('makes every rule of the catalogue fire, the structure rules included', async () => {
    const fired = new Set<string>();
    for (const structureId of [main, withoutNationalId, withWrongKey]) {
      for (const item of (await report(structureId, '?limit=500').expect(200)).body.items as Item[])
        fired.add(item.rule);
    }
    expect([...fired].sort()).toEqual([...ALIMENTATION_RULE_CODES].sort());
    expect(rulesByBox((await report(withoutNationalId).expect(200)).body.items)).toEqual({
      orgWithoutNationalId: ['STRUCTURE_WITHOUT_NATIONAL_ID', 'ORG_WITHOUT_CONNECTION_ACCOUNT'],
    });
    expect(rulesByBox((await report(withWrongKey).expect(200)).body.items)).toEqual({
      orgWithWrongKey: ['STRUCTURE_ID_KEY', 'ORG_WITHOUT_CONNECTION_ACCOUNT'],
    });
  });

  it('counts the whole report in the summary', async () => {
    const { summary } = (await report(main).expect(200)).body;
    expect(summary).toMatchObject({
      fedMailboxes: 13,
      mailboxesWithIssues: 12,
      mailboxesWithBlockingIssues: 5,
      // The INT box without RPPS has no expiry date either: INT_WITHOUT_EXPIRY is the tenth warning.
      bySeverity: { blocking: 5, warning: 10 },
    });
    expect(summary.byRule).toMatchObject({
      INT_WITHOUT_EXPIRY: 1,
      ORG_WITHOUT_DESCRIPTION: 1,
      STRUCTURE_ID_KEY: 0,
      RPPS_NOT_IN_REFERENCE: 1,
    });
    expect(Object.keys(summary.byRule).sort()).toEqual([...ALIMENTATION_RULE_CODES].sort());
  });

  it('speaks French when asked to', async () => {
    const response = await report(main, '?rule=ORG_WITHOUT_RESPONSIBLE', {
      'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.8',
    }).expect(200);
    expect(response.headers['content-language']).toBe('fr');
    expect(response.body.items).toEqual([
      expect.objectContaining({ message: "La boîte partagée n'a pas de responsable." }),
    ]);
    for (const item of (await report(main, '?limit=500', { 'Accept-Language': 'fr' })).body.items as Item[]) {
      expect(item.message).toBe(ALIMENTATION_RULES.find((rule) => rule.code === item.rule)!.message.fr);
    }
    expect((await report(main, '', { 'Accept-Language': 'de, en;q=0.5' })).headers['content-language']).toBe('en');
  });

  it.each([
    ['?rule=ORG_WITHOUT_DESCRIPTION', (item: Item) => item.rule === 'ORG_WITHOUT_DESCRIPTION', 1],
    ['?severity=blocking', (item: Item) => item.severity === 'blocking', 5],
    ['?type=ORG', (item: Item) => item.type === 'ORG', 3],
    ['?type=PER&severity=warning', (item: Item) => item.type === 'PER' && item.severity === 'warning', 6],
  ])('filters items with %s, leaving the summary whole', async (query, predicate, count) => {
    const all = (await report(main, '?limit=500')).body;
    const filtered = (await report(main, `${query}&limit=500`).expect(200)).body;
    expect(filtered.items).toEqual(all.items.filter(predicate));
    expect(filtered.items).toHaveLength(count);
    expect(filtered.summary).toEqual(all.summary);
  });

  it('pages with a cursor without skipping or repeating an issue, the summary on every page', async () => {
    const all = (await report(main, '?limit=500')).body;
    const pages: Item[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await report(main, query).expect(200)).body;
      expect(page.items.length).toBeLessThanOrEqual(4);
      expect(page.summary).toEqual(all.summary);
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual(all.items);
    expect(pages).toHaveLength(15);
  });

  it.each([
    ['?format=pdf', 'format'],
    ['?rule=NOT_A_RULE', 'rule'],
    ['?severity=fatal', 'severity'],
    ['?type=XYZ', 'type'],
    ['?limit=0', 'limit'],
    ['?cursor=not-a-cursor', 'cursor'],
  ])('refuses %s (400)', async (query, field) => {
    const refused = await report(main, query).expect(400);
    expect(refused.body.errors[0].field).toBe(field);
  });

  it('streams a CSV that French Excel opens, with every matching issue', async () => {
    const response = await report(main, '?format=csv', { 'Accept-Language': 'fr' })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="alimentation-report-.+\.csv"$/);
    const text = (response.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Identifiant de la boîte;Adresse de référence;Type;Règle;Sévérité;Champ;Message');
    expect(lines).toHaveLength(16);
    expect(lines.find((line) => line.includes('ORG_WITHOUT_RESPONSIBLE'))).toContain(
      ";bloquante;responsible;La boîte partagée n'a pas de responsable.",
    );
  });

  it('streams an XLSX with the filtered issues and a summary sheet', async () => {
    const response = await report(main, '?format=xlsx&severity=blocking')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(response.body as Buffer).buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Issues', 'Summary']);
    const issues = workbook.getWorksheet('Issues')!;
    expect(issues.rowCount).toBe(6);
    expect(issues.getRow(1).getCell(4).value).toBe('Rule');
    const rules = Array.from({ length: 5 }, (_unused, index) => issues.getRow(index + 2).getCell(4).value);
    expect(new Set(rules)).toEqual(
      new Set([
        'MISSING_CORRESPONDENCE',
        'INT_WITHOUT_RPPS',
        'ORG_WITHOUT_RESPONSIBLE',
        'RPPS_NOT_IN_REFERENCE',
        'DOMAIN_NOT_MSSANTE',
      ]),
    );
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getRow(3).values).toEqual([undefined, 'Fed mailboxes', 13]);
  });
});

describe('alimentation report security', () => {
  it('needs a key, hides other structures (404) and lets readers read', async () => {
    const reader = await createApiKey(test, 'reader', [main]);
    const otherAdmin = await createApiKey(test, 'admin', [withoutNationalId]);
    await test.http.get(`/v1/structures/${main}/alimentation-report`).expect(401);
    await test.http.get(`/v1/structures/${main}/alimentation-report`).set(bearer(otherAdmin.key)).expect(404);
    await test.http
      .get(`/v1/structures/${main}/alimentation-report?format=csv`)
      .set(bearer(otherAdmin.key))
      .expect(404);
    await test.http.get(`/v1/structures/${main}/alimentation-report`).set(bearer(reader.key)).expect(200);
    await test.http
      .get('/v1/structures/00000000-0000-4000-8000-000000000000/alimentation-report')
      .set(asOperator())
      .expect(404);
  });
});
