import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createMailbox,
  createStructure,
  createValidMailbox,
  mailboxBody,
  reportMailboxActivity,
  uniqueLocalPart,
} from '../../../test/factories';
import { mailboxJson } from './mailbox-json';

/**
 * The list and the search read each box's view as PostgreSQL wrote it when the box or its address
 * last changed (`mailbox-json.ts`, migration `mailbox-listed-view`), GET writes it from the record
 * (`toMailbox`): a box must read the same either way, whatever its type, status and fields, and
 * after each kind of change.
 */
let test: TestApp;
let structureId: string;
const operator = () => bearer(test.operatorKey);
const act = (id: string, action: string) => test.http.post(`/v1/mailboxes/${id}/${action}`).set(operator()).expect(200);
const register = async () => {
  const response = await test.http.post('/v1/registrations').send(mailboxBody(structureId)).expect(201);
  return response.body as { id: string };
};

beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  // Every field a box can hold, text that JSON must escape, and each status a box can be in.
  const full = await createValidMailbox(test, structureId, 'PER', {
    lastName: 'O\'Connor "le grand" \\ Çà',
    firstName: 'Zoë 🩺',
    civility: 'M',
    specialty: 'SM26',
    service: 'Pneumologie\tnuit',
    organisationName: 'CHU « Sud »',
    address: '1 rue de la Paix',
    postalCode: '75002',
    city: 'Paris',
    phone: '0102030405',
    mailboxPhone: '0607080910',
    paperless: true,
  });
  await assignCorrespondence(test, full.id, uniqueLocalPart('full'));
  await reportMailboxActivity(test, full.id, '2026-03-04T05:06:07.089Z');
  const shared = await createMailbox(test, structureId, 'ORG', { directoryVisible: false, paperless: false });
  await assignCorrespondence(test, shared.id, uniqueLocalPart('org'));
  await createMailbox(test, structureId, 'APP', { responsible: { lastName: 'Martin', firstName: 'Claire' } });
  await createMailbox(test, structureId, 'INT', { expiresAt: '2027-01-31' });
  await createMailbox(test, structureId, 'MED', { rpps: undefined });
  await register();
  await act((await register()).id, 'reject');
  await act((await createValidMailbox(test, structureId)).id, 'deactivate');
  const deleted = await createValidMailbox(test, structureId);
  await test.http.delete(`/v1/mailboxes/${deleted.id}`).set(operator()).expect(200);
});
afterAll(() => test.close());

async function listed(query: string): Promise<Record<string, unknown>[]> {
  const response = await test.http.get(`/v1/mailboxes?structureId=${structureId}&limit=100&${query}`).set(operator());
  expect(response.status).toBe(200);
  return response.body.items as Record<string, unknown>[];
}

async function expectAsGetAnswers(items: Record<string, unknown>[]): Promise<void> {
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    const answer = await test.http
      .get(`/v1/mailboxes/${item.id as string}`)
      .set(operator())
      .expect(200);
    expect(item).toEqual(answer.body);
    // In the contract's order of fields too, as GET writes them.
    expect(Object.keys(item)).toEqual(Object.keys(answer.body as object));
  }
}

describe('a listed box reads as GET answers it', () => {
  it.each(['preregistered', 'pending', 'valid', 'rejected', 'deactivated', 'deleted'])(
    'in status %s',
    async (status) => {
      await expectAsGetAnswers(await listed(`status=${status}`));
    },
  );

  it('in the list without filters, with every type and field set', async () => {
    const items = await listed('');
    expect(new Set(items.map((item) => item.type))).toEqual(new Set(['PER', 'ORG', 'APP', 'INT', 'MED']));
    const full = items.find((item) => item.firstName === 'Zoë 🩺');
    expect(full).toMatchObject({
      lastName: 'O\'Connor "le grand" \\ Çà',
      service: 'Pneumologie\tnuit',
      paperless: true,
      directoryVisible: true,
      directoryVisibility: 'default',
      lastActivityAt: '2026-03-04T05:06:07.089Z',
      correspondence: expect.objectContaining({ isTest: false }),
    });
    expect(items.find((item) => item.type === 'ORG')).toMatchObject({
      directoryVisible: false,
      directoryVisibility: 'explicit',
      paperless: false,
    });
    expect(items.find((item) => item.type === 'INT')).toMatchObject({ expiresAt: '2027-01-31' });
    await expectAsGetAnswers(items);
  });

  it('in a search', async () => {
    const items = await listed(`q=${encodeURIComponent("o'connor zoe")}`);
    expect(items.map((item) => item.firstName)).toEqual(['Zoë 🩺']);
    await expectAsGetAnswers(items);
  });
});

describe('the view kept on the box', () => {
  it('is written by the trigger as `mailboxJson` renders it (a changed map takes a migration)', async () => {
    const [trigger] = await selectRows<{ body: string }>(
      test.app.db,
      sql`select prosrc as body from pg_proc where proname = 'balise_mailboxes_listed_view_trigger'`,
    );
    const rendered = new PgDialect().sqlToQuery(mailboxJson);
    expect(rendered.params).toEqual([]);
    // The trigger reads the box's columns from `new` and its active address's from `active`.
    const view = rendered.sql.replaceAll('"mailboxes".', 'new.').replaceAll('"mssante_addresses".', 'active.');
    expect(trigger?.body).toContain(`new.listed_view := ${view};`);
  });

  it('follows the box and its address through their changes', async () => {
    const box = await createMailbox(test, structureId, 'INT');
    const asListed = async () => {
      const items = await listed(`q=${encodeURIComponent(box.email)}`);
      const item = items.find((candidate) => candidate.id === box.id);
      const answer = await test.http.get(`/v1/mailboxes/${box.id}`).set(operator()).expect(200);
      expect(item).toEqual(answer.body);
      return item!;
    };
    await assignCorrespondence(test, box.id, uniqueLocalPart('follow'));
    expect((await asListed()).correspondence).toMatchObject({ isTest: false });
    // The box changed, and its address with it (a test account's address is a test address).
    await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(operator())
      .send({ isTest: true, lastName: 'Suivi' })
      .expect(200);
    expect(await asListed()).toMatchObject({ isTest: true, lastName: 'Suivi', correspondence: { isTest: true } });
    await test.http.delete(`/v1/mailboxes/${box.id}/correspondence`).set(operator()).expect(200);
    expect((await asListed()).correspondence).toBeNull();
  });
});
