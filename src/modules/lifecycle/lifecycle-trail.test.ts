import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createMailbox,
  createStructure,
  createValidMailbox,
  loaduserCsv,
  runImport,
  runLifecycleSweep,
  uniqueEmail,
  uniqueLocalPart,
  validRpps,
} from '../../../test/factories';

// Business time only moves forward in this file.
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({
    clock,
    // The feed keeps its entries the whole test (its own purge is not what is tested here); the
    // directory refreshes on every read, so that its entries are audited at once.
    environment: { BALISE_EVENTS_RETENTION_DAYS: '3650', BALISE_DIRECTORY_MAX_AGE_SECONDS: '0' },
  });
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const word = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;

interface TrailRow {
  sequence: number;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  mailbox_id: string | null;
  structure_id: string | null;
  text: string;
}
/** Every row of the trail or the feed, with its whole raw JSON text (what is searched for values). */
async function rawRows(table: 'audit_events' | 'events'): Promise<Map<number, TrailRow>> {
  const action = table === 'audit_events' ? sql.raw('action') : sql.raw('type');
  const rows = await selectRows<TrailRow>(
    test.app.db,
    sql`select sequence::int as sequence, occurred_at::text as occurred_at, actor_type, actor_id,
               ${action} as action, mailbox_id, structure_id, to_jsonb(t)::text as text
        from ${sql.raw(table)} t order by sequence`,
  );
  return new Map(rows.map((row) => [row.sequence, row]));
}
const textOf = (rows: Map<number, TrailRow>) => [...rows.values()].map((row) => row.text).join('\n');

interface AuditEventBody {
  action: string;
  cause: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
async function auditEvents(query: string): Promise<AuditEventBody[]> {
  const response = await test.http.get(`/v1/audit-events?limit=500&${query}`).set(asOperator()).expect(200);
  return response.body.items as AuditEventBody[];
}

describe('the audit trail after a purge', () => {
  it("redacts a purged box's personal values from every audit event and feed entry, keeping actions, actors and dates", async () => {
    const structure = await createStructure(test);
    const person = {
      lastName: word('Zorglub'),
      firstName: word('Ysolde'),
      rpps: validRpps(),
      address: `12 rue ${word('Quimper')}`,
      city: word('Ville'),
      phone: `+3361${randomBytes(4).readUInt32BE() % 10_000_000}`,
    };
    const box = await createValidMailbox(test, structure.id, 'PER', person);
    const localPart = uniqueLocalPart('zorglub');
    const { current } = await assignCorrespondence(test, box.id, localPart);
    // Published to the directory: entries keyed by the MSSanté address.
    await test.http.get('/v1/directory/entries?limit=500').set(asOperator()).expect(200);

    const shared = await createMailbox(test, structure.id, 'ORG');
    await test.http
      .post(`/v1/mailboxes/${shared.id}/connection-accounts`)
      .set(asOperator())
      .send({ mailboxId: box.id })
      .expect(201);
    const delegator = await createMailbox(test, structure.id, 'PER');
    await test.http
      .post(`/v1/mailboxes/${delegator.id}/delegates`)
      .set(asOperator())
      .send({ delegateMailboxId: box.id })
      .expect(201);
    // Another box's import row names it in column AH: that box's audit event lists its e-mail.
    const importedShared = uniqueEmail('imported-org');
    const imported = await runImport(
      test,
      structure.id,
      loaduserCsv([{ A: importedShared, B: 'Accueil', C: 'Urgences', S: 'ORG', AH: box.email }]),
    );
    expect(imported).toMatchObject({ status: 'succeeded', counts: { created: 1, failed: 0 } });

    const newEmail = uniqueEmail('changed');
    const request = await test.http
      .post(`/v1/mailboxes/${box.id}/email-change-requests`)
      .set(asOperator())
      .send({ newEmail })
      .expect(201);
    await test.http
      .post(`/v1/email-change-requests/${request.body.id as string}/approve`)
      .set(asOperator())
      .expect(200);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    await test.http.get('/v1/directory/entries?limit=500').set(asOperator()).expect(200);

    const personalValues = [
      box.email,
      box.email.toLowerCase(),
      newEmail,
      person.lastName,
      person.firstName,
      person.rpps,
      person.address,
      person.city,
      person.phone,
      current.address,
      localPart,
    ];
    const auditBefore = await rawRows('audit_events');
    const feedBefore = await rawRows('events');
    // The scenario did copy them into the trail and the feed.
    for (const value of personalValues) {
      expect(textOf(auditBefore)).toContain(value);
    }
    for (const value of [box.email, person.lastName, current.address, newEmail]) {
      expect(textOf(feedBefore)).toContain(value);
    }
    const actionsBefore = (await auditEvents(`mailboxId=${box.id}`)).map((event) => event.action);
    expect(actionsBefore).toEqual(
      expect.arrayContaining([
        'mailbox.registered',
        'mailbox.validated',
        'correspondence.assigned',
        'directory.entry_published',
        'email_change_request.approved',
        'mailbox.email_changed',
        'mailbox.deleted',
        'directory.entry_withdrawn',
      ]),
    );

    clock.advanceDays(7 * 31);
    const report = await runLifecycleSweep(test);
    expect(report.purged.mailboxIds).toContain(box.id);

    const auditAfter = await rawRows('audit_events');
    const feedAfter = await rawRows('events');
    for (const value of personalValues) {
      expect({ value, inTrail: textOf(auditAfter).includes(value) }).toEqual({ value, inTrail: false });
      expect({ value, inFeed: textOf(feedAfter).includes(value) }).toEqual({ value, inFeed: false });
    }
    // Who did what, when, to which box: every event is still there, as it was.
    const facts = ({ sequence, occurred_at, actor_type, actor_id, action, mailbox_id, structure_id }: TrailRow) => ({
      sequence,
      occurred_at,
      actor_type,
      actor_id,
      action,
      mailbox_id,
      structure_id,
    });
    for (const [sequence, row] of auditBefore) expect(facts(auditAfter.get(sequence)!)).toEqual(facts(row));
    for (const [sequence, row] of feedBefore) expect(facts(feedAfter.get(sequence)!)).toEqual(facts(row));
    expect((await auditEvents(`mailboxId=${box.id}`)).map((event) => event.action).slice(1)).toEqual(actionsBefore);
    // The marker stands where a value was, under the same key.
    const [registered] = await auditEvents(`mailboxId=${box.id}&action=mailbox.registered`);
    expect(registered!.after).toMatchObject({
      id: box.id,
      lastName: '[purged]',
      firstName: '[purged]',
      rpps: '[purged]',
    });
    // Other boxes keep their own data: only what was the purged box's is gone from their events.
    const trailText = textOf(auditAfter);
    for (const kept of [shared.email, delegator.email, importedShared]) expect(trailText).toContain(kept);
    const [importedEvent] = (await auditEvents(`structureId=${structure.id}&action=mailbox.created`)).filter(
      (event) => event.after?.email === importedShared,
    );
    expect(importedEvent!.after).toMatchObject({ lastName: 'Accueil', connectionAccounts: ['[purged]'] });

    // mailbox.purged says how many events of each kind were redacted: exactly those that changed.
    const changedAudit = [...auditBefore].filter(([sequence, row]) => auditAfter.get(sequence)!.text !== row.text);
    const changedFeed = [...feedBefore].filter(([sequence, row]) => feedAfter.get(sequence)!.text !== row.text);
    const [purged] = await auditEvents(`mailboxId=${box.id}&action=mailbox.purged`);
    expect(purged!.cause).toMatchObject({ sweepId: report.sweepId, rule: 'retention' });
    expect(purged!.after).toMatchObject({
      id: box.id,
      redacted: { marker: '[purged]', auditEvents: changedAudit.length, feedEvents: changedFeed.length },
    });
    expect(changedAudit.length).toBeGreaterThanOrEqual(actionsBefore.length + 3);
    expect(changedFeed.length).toBeGreaterThan(0);
  });

  it('refuses any other change to the trail: it stays append-only', async () => {
    const structure = await createStructure(test);
    await createMailbox(test, structure.id);
    const change = (statement: string) =>
      test.app.db.execute(sql.raw(statement)).then(
        () => 'done',
        (error: unknown) => String((error as { cause?: unknown }).cause ?? error),
      );
    expect(await change(`update audit_events set action = 'mailbox.rewritten'`)).toMatch(/append-only/);
    expect(await change(`delete from audit_events`)).toMatch(/append-only/);
    expect(await change(`truncate audit_events`)).toMatch(/append-only/);
    // What a sweep is allowed does not outlive its transaction.
    await test.app.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('balise.audit_trail_change', 'prune', true)`);
    });
    expect(await change(`delete from audit_events`)).toMatch(/append-only/);
  });
});

describe('the audit retention', () => {
  it('deletes audit events older than BALISE_AUDIT_RETENTION_MONTHS, and its own events say how many', async () => {
    const structure = await createStructure(test);
    const old = await createMailbox(test, structure.id);
    clock.advanceDays(200);
    const recent = await createMailbox(test, structure.id);
    clock.advanceDays(200);
    // Twelve months (the default) before now: the first box's events are past it, the second's are not.
    const cutoff = new Date(clock.now());
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 12);
    const [{ past }] = (await selectRows<{ past: number }>(
      test.app.db,
      sql`select count(*)::int as past from audit_events where occurred_at < ${cutoff.toISOString()}::timestamptz`,
    )) as [{ past: number }];
    expect(past).toBeGreaterThan(0);

    const report = await runLifecycleSweep(test);
    expect(report.auditEventsDeleted).toEqual({ count: past });
    const [{ left }] = (await selectRows<{ left: number }>(
      test.app.db,
      sql`select count(*)::int as left from audit_events where occurred_at < ${cutoff.toISOString()}::timestamptz`,
    )) as [{ left: number }];
    expect(left).toBe(0);
    // The old box's creation is gone (its deletion for inactivity, by this sweep, is recent).
    expect((await auditEvents(`mailboxId=${old.id}`)).map((event) => event.action)).not.toContain('mailbox.created');
    expect((await auditEvents(`mailboxId=${recent.id}`)).map((event) => event.action)).toEqual(['mailbox.created']);

    const pruned = (await auditEvents('action=audit_trail.pruned')).filter(
      (event) => event.cause?.sweepId === report.sweepId,
    );
    expect(pruned.length).toBeGreaterThanOrEqual(1);
    expect(pruned.reduce((sum, event) => sum + (event.after?.deleted as number), 0)).toBe(past);
    expect(pruned[0]!.cause).toMatchObject({ rule: 'audit_retention', retentionMonths: 12 });
    // Nothing is left to delete: the next sweep deletes none and records nothing.
    expect((await runLifecycleSweep(test)).auditEventsDeleted).toEqual({ count: 0 });
  });
});
