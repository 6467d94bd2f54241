import { createTestApp, type TestApp } from '../../../test/harness';
import {
  loaduserCsv,
  uniqueDomain,
  uniqueEmail,
  uniqueLocalPart,
  validFiness,
  validRpps,
} from '../../../test/factories';
import { createGeneratedClient, type GeneratedClient } from '../src/generated/client';
import type { components, operations } from '../src/generated/schema';

/**
 * What a DPI vendor does with the bare generated layer of @balise/client (openapi-typescript types,
 * openapi-fetch calls; no retries, answers not thrown), against a live server over real HTTP. It is
 * type-checked with the repository (`npm run typecheck`, strict) and linted without casts, `any` or
 * non-null assertions (eslint.config.js): a call the contract types wrongly fails the build, not just
 * this test. The helpers on top are tested in client.test.ts.
 */

type Mailbox = components['schemas']['Mailbox'];
type MailboxType = Mailbox['type'];
type NewMailbox = operations['createMailbox']['requestBody']['content']['application/json'];
type StaleEtagProblem = operations['updateMailbox']['responses'][412]['content']['application/problem+json'];
type ImportForm = operations['createImport']['requestBody']['content']['multipart/form-data'];

/** The server side of the scenario: jobs on (the import runs by itself), the directory refreshed at every listing. */
let server: TestApp;
let baseUrl: string;
/** As the operator, who creates structures and keys. */
let operator: GeneratedClient;
/** As the structure's admin: what an integrator is given. */
let admin: GeneratedClient;
let structure: components['schemas']['Structure'];
const boxes = new Map<MailboxType, Mailbox>();

beforeAll(async () => {
  server = await createTestApp({
    environment: { BALISE_JOBS_ENABLED: 'true', BALISE_JOBS_POLL_MS: '100', BALISE_DIRECTORY_MAX_AGE_SECONDS: '0' },
  });
  baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  operator = createGeneratedClient(baseUrl, server.operatorKey);
  // More than the default 30 s: if this hook timed out, the server it goes on to start (job runner
  // polling) would never be closed and would keep jest from exiting. A loaded machine needs it.
}, 120_000);
afterAll(() => server.close());

/** The body of a successful answer; anything else fails with the status and problem the server sent. */
async function expectSuccess<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  status: number,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.status !== status || data === undefined) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(error)}`);
  }
  return data;
}

function boxOf(type: MailboxType): Mailbox {
  const box = boxes.get(type);
  if (!box) throw new Error(`no ${type} box: an earlier step failed`);
  return box;
}

function etagOf(response: Response): string {
  const etag = response.headers.get('etag');
  if (etag === null) throw new Error(`${response.url} answered no ETag`);
  return etag;
}

/** A valid box of each type, as the vocabulary asks (src/domain/mailbox-vocabulary.ts). */
function newMailbox(structureId: string, type: MailboxType): NewMailbox {
  const person = { structureId, type, email: uniqueEmail(type.toLowerCase()), lastName: 'Dupont', firstName: 'Jean' };
  switch (type) {
    case 'PER':
      return { ...person, rpps: validRpps(), profession: '10', civility: 'M' };
    case 'MED':
    case 'INT':
      return person;
    case 'ORG':
    case 'APP':
      return {
        ...person,
        lastName: type === 'ORG' ? 'Service BE' : 'Résultats labo',
        firstName: 'IES Sud',
        description: type === 'ORG' ? 'Secrétariat du bureau des entrées' : 'Envoi automatique des résultats',
        responsible: { lastName: 'Martin', firstName: 'Claire', profession: '10', rpps: validRpps() },
      };
  }
}

describe('an integrator scenario through a client generated from openapi/openapi.json', () => {
  it('creates a structure and an admin key for it, then reads, searches and updates it', async () => {
    structure = await expectSuccess(
      operator.POST('/v1/structures', {
        body: { name: 'Clinique du Parc', finess: validFiness(), domains: [uniqueDomain()] },
      }),
      201,
    );
    const key = await expectSuccess(
      operator.POST('/v1/api-keys', {
        body: { name: 'DPI Clinique du Parc', role: 'admin', structureIds: [structure.id] },
      }),
      201,
    );
    // The secret is optional in the contract: an idempotent replay of the creation redacts it.
    if (key.key === undefined) throw new Error('the new key came without its secret');
    admin = createGeneratedClient(baseUrl, key.key);

    const found = await expectSuccess(
      admin.GET('/v1/structures', { params: { query: { q: 'Clinique du Parc' } } }),
      200,
    );
    expect(found.items.map((item) => item.id)).toEqual([structure.id]);

    const read = await admin.GET('/v1/structures/{structureId}', { params: { path: { structureId: structure.id } } });
    const updated = await expectSuccess(
      admin.PATCH('/v1/structures/{structureId}', {
        params: { path: { structureId: structure.id }, header: { 'if-match': etagOf(read.response) } },
        body: { contactEmail: 'dsi@clinique-du-parc.example.fr' },
      }),
      200,
    );
    expect(updated.contactEmail).toBe('dsi@clinique-du-parc.example.fr');
  });

  it('creates a box of each type', async () => {
    for (const type of ['PER', 'MED', 'INT', 'ORG', 'APP'] as const) {
      const box = await expectSuccess(admin.POST('/v1/mailboxes', { body: newMailbox(structure.id, type) }), 201);
      expect(box).toMatchObject({ type, structureId: structure.id, status: 'preregistered' });
      boxes.set(type, box);
    }
  });

  it('reads why a box is refused from the problem document', async () => {
    const refused = await admin.POST('/v1/mailboxes', {
      body: { ...newMailbox(structure.id, 'PER'), rpps: '10000013995' },
    });
    expect(refused.response.status).toBe(422);
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.error?.errors).toEqual([expect.objectContaining({ field: 'rpps' })]);
  });

  it('searches the boxes page by page, following nextCursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await expectSuccess(
        admin.GET('/v1/mailboxes', { params: { query: { structureId: structure.id, limit: 2, cursor } } }),
        200,
      );
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...boxes.values()].map((box) => box.id).sort());

    const byEmail = await expectSuccess(
      admin.GET('/v1/mailboxes', { params: { query: { q: boxOf('PER').email, type: 'PER' } } }),
      200,
    );
    expect(byEmail.items.map((item) => item.id)).toEqual([boxOf('PER').id]);
  });

  it('updates a box with If-Match, and a stale ETag gets 412', async () => {
    const mailboxId = boxOf('PER').id;
    const read = await admin.GET('/v1/mailboxes/{mailboxId}', { params: { path: { mailboxId } } });
    const readEtag = etagOf(read.response);
    const updated = await admin.PATCH('/v1/mailboxes/{mailboxId}', {
      params: { path: { mailboxId }, header: { 'if-match': readEtag } },
      body: { service: 'Cardiologie' },
    });
    expect(updated.data?.service).toBe('Cardiologie');
    expect(etagOf(updated.response)).not.toBe(readEtag);

    const stale = await admin.PATCH('/v1/mailboxes/{mailboxId}', {
      params: { path: { mailboxId }, header: { 'if-match': readEtag } },
      body: { service: 'Pneumologie' },
    });
    expect(stale.response.status).toBe(412);
    // Typed by the contract's 412 of this operation: once each status lists its codes, one it omits does not compile.
    const preconditionFailed: StaleEtagProblem['code'] = 'PRECONDITION_FAILED';
    expect(stale.error?.code).toBe(preconditionFailed);
  });

  it('gives every fed box its MSSanté address', async () => {
    for (const type of ['PER', 'INT', 'ORG', 'APP'] as const) {
      const localPart = uniqueLocalPart(type.toLowerCase());
      const correspondence = await expectSuccess(
        admin.PUT('/v1/mailboxes/{mailboxId}/correspondence', {
          params: { path: { mailboxId: boxOf(type).id } },
          body: { localPart },
        }),
        200,
      );
      expect(correspondence.current?.address).toBe(`${localPart}@${structure.domains[0] ?? ''}`);
    }
    const read = await expectSuccess(
      admin.GET('/v1/mailboxes/{mailboxId}/correspondence', { params: { path: { mailboxId: boxOf('ORG').id } } }),
      200,
    );
    expect(read.history).toEqual([]);
  });

  it('opens the shared boxes through connection accounts (defaults left to the server)', async () => {
    const added = await expectSuccess(
      admin.POST('/v1/mailboxes/{mailboxId}/connection-accounts', {
        params: { path: { mailboxId: boxOf('ORG').id } },
        body: { mailboxId: boxOf('PER').id },
      }),
      201,
    );
    expect(added).toMatchObject({ mailboxId: boxOf('PER').id, isDefault: false, notifyOnReceipt: false });
    await expectSuccess(
      admin.POST('/v1/mailboxes/{mailboxId}/connection-accounts', {
        params: { path: { mailboxId: boxOf('APP').id } },
        body: { email: boxOf('INT').email, isDefault: true },
      }),
      201,
    );
    const accounts = await expectSuccess(
      admin.GET('/v1/mailboxes/{mailboxId}/connection-accounts', { params: { path: { mailboxId: boxOf('ORG').id } } }),
      200,
    );
    expect(accounts.items.map((account) => account.mailboxId)).toEqual([boxOf('PER').id]);
  });

  it('lets a person act for another through a delegate', async () => {
    const delegate = await expectSuccess(
      admin.POST('/v1/mailboxes/{mailboxId}/delegates', {
        params: { path: { mailboxId: boxOf('PER').id } },
        body: { delegateMailboxId: boxOf('INT').id },
      }),
      201,
    );
    expect(delegate).toMatchObject({ delegateMailboxId: boxOf('INT').id, type: 'INT' });
    const delegates = await expectSuccess(
      admin.GET('/v1/mailboxes/{mailboxId}/delegates', { params: { path: { mailboxId: boxOf('PER').id } } }),
      200,
    );
    expect(delegates.items.map((item) => item.delegateMailboxId)).toEqual([boxOf('INT').id]);
  });

  it("changes a box's e-mail through a request and its approval", async () => {
    const mailboxId = boxOf('MED').id;
    const newEmail = uniqueEmail('med.new');
    const requested = await expectSuccess(
      admin.POST('/v1/mailboxes/{mailboxId}/email-change-requests', {
        params: { path: { mailboxId } },
        body: { newEmail },
      }),
      201,
    );
    expect(requested).toMatchObject({ status: 'pending', currentEmail: boxOf('MED').email, newEmail });
    const pending = await expectSuccess(
      admin.GET('/v1/email-change-requests', { params: { query: { mailboxId, status: 'pending' } } }),
      200,
    );
    expect(pending.items.map((item) => item.id)).toEqual([requested.id]);

    const read = await admin.GET('/v1/email-change-requests/{requestId}', {
      params: { path: { requestId: requested.id } },
    });
    const approved = await expectSuccess(
      admin.POST('/v1/email-change-requests/{requestId}/approve', {
        params: { path: { requestId: requested.id }, header: { 'if-match': etagOf(read.response) } },
      }),
      200,
    );
    expect(approved.status).toBe('approved');
    const box = await expectSuccess(admin.GET('/v1/mailboxes/{mailboxId}', { params: { path: { mailboxId } } }), 200);
    expect(box.email).toBe(newEmail);
  });

  it('imports a loaduser file with options and follows it until it finishes', async () => {
    const emails = [uniqueEmail('import.a'), uniqueEmail('import.b'), uniqueEmail('import.c')];
    const row = (email: string, rpps: string) => ({ A: email, B: 'Durand', C: 'Anne', D: rpps, M: '10', S: 'PER' });
    // The second row's RPPS has a wrong check key: `onError: 'skip'` writes the two others.
    const csv = loaduserCsv([
      row(emails[0] ?? '', validRpps()),
      row(emails[1] ?? '', '10000013995'),
      row(emails[2] ?? '', validRpps()),
    ]);
    const options = { dryRun: false, onError: 'skip', notify: false, directoryVisible: true } as const;
    const created = await expectSuccess(
      admin.POST('/v1/structures/{structureId}/imports', {
        params: { path: { structureId: structure.id } },
        body: { file: csv.toString('utf8'), ...options },
        bodySerializer: importFormData,
      }),
      202,
    );
    expect(created.options).toEqual(options);

    let finished = created;
    for (const deadline = Date.now() + 20_000; finished.status === 'queued' || finished.status === 'running';) {
      if (Date.now() > deadline) throw new Error(`import still ${finished.status} after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      finished = await expectSuccess(
        admin.GET('/v1/imports/{importId}', { params: { path: { importId: created.id } } }),
        200,
      );
    }
    expect(finished).toMatchObject({ status: 'succeeded', error: null, counts: { created: 2, failed: 1 } });

    const failed = await expectSuccess(
      admin.GET('/v1/imports/{importId}/rows', {
        params: { path: { importId: created.id }, query: { outcome: 'failed' } },
      }),
      200,
    );
    expect(failed.items).toEqual([
      expect.objectContaining({ rowNumber: 3, email: emails[1], errors: [expect.objectContaining({ column: 'D' })] }),
    ]);
    const imported = await expectSuccess(
      admin.GET('/v1/mailboxes', { params: { query: { q: emails[0] ?? '' } } }),
      200,
    );
    expect(imported.items).toEqual([expect.objectContaining({ email: emails[0], directoryVisible: true })]);
  });

  it("exports the structure's boxes as CSV", async () => {
    const exported = await admin.GET('/v1/structures/{structureId}/mailboxes/export', {
      params: { path: { structureId: structure.id }, query: { format: 'csv' } },
      parseAs: 'text',
    });
    expect(exported.response.status).toBe(200);
    expect(exported.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exported.data).toContain(boxOf('PER').email);
  });

  it('reads the alimentation report as JSON', async () => {
    const report = await expectSuccess(
      admin.GET('/v1/structures/{structureId}/alimentation-report', {
        params: { path: { structureId: structure.id } },
        headers: { Accept: 'application/json' },
        parseAs: 'json',
      }),
      200,
    );
    expect(report.structureId).toBe(structure.id);
    // The INT box has an address but no RPPS: it cannot be fed, and the report says so.
    expect(report.items).toContainEqual(
      expect.objectContaining({ mailboxId: boxOf('INT').id, rule: 'INT_WITHOUT_RPPS', severity: 'blocking' }),
    );
    expect(report.summary.mailboxesWithBlockingIssues).toBe(1);
  });

  it('reads the directory feed in full, then since its sync token', async () => {
    const full = await expectSuccess(
      admin.GET('/v1/directory/entries', { params: { query: { structureId: structure.id } } }),
      200,
    );
    const published = full.items.map((entry) => entry.mailboxId);
    for (const type of ['PER', 'ORG', 'APP'] as const) expect(published).toContain(boxOf(type).id);
    // Never fed: a MED box; held back: the INT box the report blocks.
    expect(published).not.toContain(boxOf('MED').id);
    expect(published).not.toContain(boxOf('INT').id);

    const since = await expectSuccess(
      admin.GET('/v1/directory/entries', { params: { query: { structureId: structure.id, since: full.syncToken } } }),
      200,
    );
    expect(since.items).toEqual([]);
  });

  it('finds every change in the audit trail', async () => {
    const events = await expectSuccess(
      admin.GET('/v1/audit-events', { params: { query: { mailboxId: boxOf('PER').id, limit: 100 } } }),
      200,
    );
    expect(events.items.map((event) => event.action)).toEqual(
      expect.arrayContaining(['mailbox.created', 'mailbox.updated', 'correspondence.assigned', 'delegate.added']),
    );
    const structureEvents = await expectSuccess(
      admin.GET('/v1/audit-events', { params: { query: { structureId: structure.id, action: 'import.created' } } }),
      200,
    );
    expect(structureEvents.items).toHaveLength(1);
  });
});

/** The import's multipart form: its options first (the server reads them before the file), then the file. */
function importFormData(form: ImportForm): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(form)) {
    if (name !== 'file') data.append(name, String(value));
  }
  data.append('file', new Blob([form.file], { type: 'text/csv' }), 'loaduser.csv');
  return data;
}
