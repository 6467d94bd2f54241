import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { settleEventFeed } from '../../../test/event-feed';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createMailbox,
  createStructure,
  mailboxBody,
  reportMailboxActivity,
  runLifecycleSweep,
  uniqueEmail,
  uniqueLocalPart,
  type SweepReportBody,
} from '../../../test/factories';

// Business time only moves forward in this file: each test creates its boxes at the current time.
const clock = new ManualClock('2026-01-05T10:00:00.000Z');
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ clock });
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const getBox = async (id: string) => (await test.http.get(`/v1/mailboxes/${id}`).set(asOperator()).expect(200)).body;

interface AuditEventBody {
  action: string;
  actor: { type: string; id: string | null };
  cause: Record<string, unknown> | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
async function auditOf(mailboxId: string, action?: string): Promise<AuditEventBody[]> {
  const query = action ? `&action=${action}` : '';
  const response = await test.http
    .get(`/v1/audit-events?mailboxId=${mailboxId}${query}&limit=500`)
    .set(asOperator())
    .expect(200);
  return response.body.items as AuditEventBody[];
}

async function deletionWarnings(query: string) {
  const response = await test.http
    .get(`/v1/notifications?kind=deletion_warning&limit=500&${query}`)
    .set(asOperator())
    .expect(200);
  return response.body.items as { mailboxId: string | null; recipient: string; body: string }[];
}

const idsOf = (report: SweepReportBody, step: 'deactivated' | 'warned' | 'deleted' | 'purged') =>
  report[step].mailboxIds;

describe('the lifecycle sweep', () => {
  it('deactivates boxes on their expiry date, once, remembering the status they interrupted', async () => {
    const structure = await createStructure(test);
    const expiring = await createMailbox(test, structure.id, 'PER', { expiresAt: '2026-01-07' });
    const later = await createMailbox(test, structure.id, 'PER', { expiresAt: '2026-02-01' });
    const signUp = await test.http
      .post('/v1/registrations')
      .send(mailboxBody(structure.id, 'PER', { expiresAt: '2026-01-07' }))
      .expect(201);

    expect(idsOf(await runLifecycleSweep(test), 'deactivated')).not.toContain(expiring.id);
    clock.set('2026-01-07T00:00:00.000Z');
    const report = await runLifecycleSweep(test);
    expect(idsOf(report, 'deactivated')).toEqual(expect.arrayContaining([expiring.id, signUp.body.id]));
    expect(idsOf(report, 'deactivated')).not.toContain(later.id);
    expect(await getBox(expiring.id)).toMatchObject({ status: 'deactivated' });

    const [event] = await auditOf(expiring.id, 'mailbox.deactivated');
    expect(event).toMatchObject({
      actor: { type: 'system', id: 'lifecycle.sweep' },
      cause: { sweepId: report.sweepId, rule: 'expiry', expiresAt: '2026-01-07' },
      before: { status: 'preregistered' },
      after: { status: 'deactivated' },
    });
    expect(idsOf(await runLifecycleSweep(test), 'deactivated')).not.toContain(expiring.id);
    // The status it interrupted was kept: reactivation returns to it.
    await test.http
      .post(`/v1/mailboxes/${signUp.body.id}/reactivate`)
      .set(asOperator())
      .expect(200, /"status":"pending"/);
  });

  it('warns owners 30 and 7 days before an inactivity deletion, never twice for one deadline, with a digest to the structure contact', async () => {
    const contactEmail = uniqueEmail('secretariat');
    const withContact = await createStructure(test, { contactEmail });
    const withoutContact = await createStructure(test);
    const box = await createMailbox(test, withContact.id);
    const otherBox = await createMailbox(test, withoutContact.id);

    clock.advanceDays(334);
    expect(idsOf(await runLifecycleSweep(test), 'warned')).not.toContain(box.id);
    clock.advanceDays(2);
    const first = await runLifecycleSweep(test);
    expect(idsOf(first, 'warned')).toEqual(expect.arrayContaining([box.id, otherBox.id]));
    expect(first.warned.adminNotices).toBeGreaterThanOrEqual(1);
    const [warning] = await deletionWarnings(`mailboxId=${box.id}`);
    expect(warning).toMatchObject({ recipient: box.email });
    const createdAt = new Date((await getBox(box.id)).createdAt as string);
    const deadline = new Date(createdAt.getTime() + 365 * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .split('-')
      .reverse()
      .join('/');
    expect(warning!.body).toContain(`à partir du ${deadline} (dans 29 jours)`);

    const digests = (await deletionWarnings(`structureId=${withContact.id}`)).filter((item) => item.mailboxId === null);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ recipient: contactEmail });
    expect(digests[0]!.body).toContain(box.email);
    expect(
      (await deletionWarnings(`structureId=${withoutContact.id}`)).filter((item) => item.mailboxId === null),
    ).toEqual([]);

    // Again the same day, and the next day: nothing new for this deadline.
    expect(idsOf(await runLifecycleSweep(test), 'warned')).not.toContain(box.id);
    clock.advanceDays(1);
    expect(idsOf(await runLifecycleSweep(test), 'warned')).not.toContain(box.id);
    expect(await deletionWarnings(`mailboxId=${box.id}`)).toHaveLength(1);

    clock.advanceDays(22);
    expect(idsOf(await runLifecycleSweep(test), 'warned')).toContain(box.id);
    expect(idsOf(await runLifecycleSweep(test), 'warned')).not.toContain(box.id);
    expect(await deletionWarnings(`mailboxId=${box.id}`)).toHaveLength(2);
    const events = await auditOf(box.id, 'mailbox.deletion_warned');
    expect(events.map((event) => event.after!.thresholdDays)).toEqual([7, 30]);
    expect(events[1]).toMatchObject({
      actor: { type: 'system', id: 'lifecycle.sweep' },
      cause: { sweepId: first.sweepId },
    });
    // The event feed publishes each warning under its public name, oldest first.
    await settleEventFeed(test);
    const feed = await test.http
      .get('/v1/events')
      .query({ type: 'lifecycle.deletion_warning', structureId: withContact.id, limit: 500 })
      .set(asOperator())
      .expect(200);
    const published = (feed.body.items as { mailboxId: string; data: { thresholdDays: number } }[]).filter(
      (event) => event.mailboxId === box.id,
    );
    expect(published.map((event) => event.data.thresholdDays)).toEqual([30, 7]);
    expect(
      (await deletionWarnings(`structureId=${withContact.id}`)).filter((item) => item.mailboxId === null),
    ).toHaveLength(2);
  });

  it('deletes a box a year after its last sign of life, withdrawing its address; activity and registration postpone it', async () => {
    const structure = await createStructure(test);
    const idle = await createMailbox(test, structure.id);
    const localPart = uniqueLocalPart();
    await assignCorrespondence(test, idle.id, localPart);
    const used = await createMailbox(test, structure.id);
    const signUp = (await test.http.post('/v1/registrations').send(mailboxBody(structure.id)).expect(201)).body as {
      id: string;
    };

    clock.advanceDays(100);
    await reportMailboxActivity(test, used.id);
    await test.http.post(`/v1/mailboxes/${signUp.id}/validate`).set(asOperator()).expect(200);
    clock.advanceDays(265);
    const report = await runLifecycleSweep(test);
    expect(idsOf(report, 'deleted')).toContain(idle.id);
    expect(idsOf(report, 'deleted')).not.toContain(used.id);
    expect(idsOf(report, 'deleted')).not.toContain(signUp.id);

    expect(await getBox(idle.id)).toMatchObject({ status: 'deleted', correspondence: null });
    const [event] = await auditOf(idle.id, 'mailbox.deleted');
    expect(event).toMatchObject({
      actor: { type: 'system', id: 'lifecycle.sweep' },
      cause: { sweepId: report.sweepId, rule: 'inactivity' },
      before: { status: 'preregistered', correspondence: { localPart } },
      after: { status: 'deleted', correspondence: null },
    });
    // Withdrawn: the address is free for another box.
    const taker = await createMailbox(test, structure.id);
    await assignCorrespondence(test, taker.id, localPart);

    clock.advanceDays(101);
    expect(idsOf(await runLifecycleSweep(test), 'deleted')).toEqual(expect.arrayContaining([used.id, signUp.id]));
  });

  it('lists a box the sweep deleted, and one soon to be, in the deleted-boxes export', async () => {
    const structure = await createStructure(test);
    const swept = await createMailbox(test, structure.id);
    clock.advanceDays(20);
    const soon = await createMailbox(test, structure.id);
    const active = await createMailbox(test, structure.id);
    clock.advanceDays(346);
    await reportMailboxActivity(test, active.id);
    expect(idsOf(await runLifecycleSweep(test), 'deleted')).toContain(swept.id);

    const exported = await test.http
      .get(`/v1/structures/${structure.id}/deleted-mailboxes/export?format=csv`)
      .set(asOperator())
      .buffer(true)
      .expect(200);
    const text = exported.text;
    expect(text).toContain(swept.email);
    expect(text).toContain(soon.email);
    expect(text).not.toContain(active.email);
  });

  it('purges the personal data of boxes deleted more than six months ago, keeping the audit trail', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'ORG');
    const localPart = uniqueLocalPart();
    await assignCorrespondence(test, box.id, localPart);
    const original = await getBox(box.id);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);

    clock.advanceDays(150);
    expect(idsOf(await runLifecycleSweep(test), 'purged')).not.toContain(box.id);
    clock.advanceDays(40);
    const report = await runLifecycleSweep(test);
    expect(idsOf(report, 'purged')).toContain(box.id);

    const purged = await getBox(box.id);
    expect(purged).toMatchObject({
      id: box.id,
      structureId: structure.id,
      type: 'ORG',
      status: 'deleted',
      email: `purged-${box.id}@purged.invalid`,
      lastName: '',
      firstName: '',
      responsible: null,
      description: null,
    });
    const addresses = await selectRows<{ address: string }>(
      test.app.db,
      sql`select address from mssante_addresses where mailbox_id = ${box.id}`,
    );
    expect(addresses.length).toBe(1);
    expect(addresses[0]!.address).not.toContain(localPart);

    const trail = await auditOf(box.id);
    expect(trail.map((event) => event.action)).toEqual(
      expect.arrayContaining(['mailbox.created', 'mailbox.deleted', 'mailbox.purged']),
    );
    const purgeEvent = trail.find((event) => event.action === 'mailbox.purged')!;
    expect(purgeEvent).toMatchObject({
      actor: { id: 'lifecycle.sweep' },
      cause: { sweepId: report.sweepId, rule: 'retention' },
    });
    const purgeEventText = JSON.stringify(purgeEvent);
    for (const personal of [original.email, original.responsible.rpps, original.responsible.lastName, localPart]) {
      expect(purgeEventText).not.toContain(personal);
    }
    expect(idsOf(await runLifecycleSweep(test), 'purged')).not.toContain(box.id);
    await test.http
      .post(`/v1/mailboxes/${box.id}/restore`)
      .set(asOperator())
      .expect(409, /RETENTION_EXPIRED/);
  });

  it('lets two sweeps running at once do each change once', async () => {
    const structure = await createStructure(test);
    const make = (count: number, overrides: Record<string, unknown> = {}) =>
      Promise.all(Array.from({ length: count }, () => createMailbox(test, structure.id, 'PER', overrides)));
    const due = await make(12);
    clock.advanceDays(30);
    const warn = await make(12);
    clock.advanceDays(336);
    const expired = await make(8, { expiresAt: clock.now().toISOString().slice(0, 10) });

    const reports = await Promise.all([runLifecycleSweep(test), runLifecycleSweep(test)]);
    for (const [step, boxes] of [
      ['deleted', due],
      ['warned', warn],
      ['deactivated', expired],
    ] as const) {
      const done = reports.flatMap((report) => idsOf(report, step));
      for (const { id } of boxes) expect(done.filter((doneId) => doneId === id)).toHaveLength(1);
    }
    for (const { id } of due) expect(await auditOf(id, 'mailbox.deleted')).toHaveLength(1);
    for (const { id } of warn) expect(await deletionWarnings(`mailboxId=${id}`)).toHaveLength(1);
    for (const { id } of expired) expect(await auditOf(id, 'mailbox.deactivated')).toHaveLength(1);
  });

  it('runs once per period from the scheduler on the job queue', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id);
    clock.advanceDays(366);
    await test.app.scheduler.tick();
    expect(await test.app.scheduler.tick()).toEqual([]);
    await test.app.jobs.drain();
    const periodKey = `lifecycle.sweep:${clock.now().toISOString().slice(0, 10)}T00:00:00.000Z`;
    const jobs = await selectRows<{ status: string; result: { sweepId: string; deleted: number } }>(
      test.app.db,
      sql`select status, result from jobs where name = 'lifecycle.sweep' and singleton_key = ${periodKey}`,
    );
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job).toMatchObject({ status: 'succeeded', result: { deleted: expect.any(Number) } });
    expect(await getBox(box.id)).toMatchObject({ status: 'deleted' });
    const [event] = await auditOf(box.id, 'mailbox.deleted');
    expect(event!.cause).toMatchObject({ sweepId: job!.result.sweepId });
  });

  it('leaves no partial change when a batch fails, and does the work at the next sweep', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id);
    await assignCorrespondence(test, box.id, uniqueLocalPart());
    clock.advanceDays(366);
    await test.app.db.execute(
      sql.raw(`
      create function fail_sweep_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'mailbox.deleted' and new.mailbox_id = '${box.id}' then raise exception 'audit store down'; end if;
        return new;
      end $$`),
    );
    await test.app.db.execute(
      sql.raw(
        'create trigger fail_sweep_audit before insert on audit_events for each row execute function fail_sweep_audit()',
      ),
    );
    try {
      await test.http.post('/v1/lifecycle/sweeps').set(asOperator()).expect(500);
      const unchanged = await getBox(box.id);
      expect(unchanged).toMatchObject({ status: 'preregistered', correspondence: { isTest: false } });
      expect(await auditOf(box.id, 'mailbox.deleted')).toEqual([]);
    } finally {
      await test.app.db.execute(sql.raw('drop trigger fail_sweep_audit on audit_events'));
      await test.app.db.execute(sql.raw('drop function fail_sweep_audit()'));
    }
    expect(idsOf(await runLifecycleSweep(test), 'deleted')).toContain(box.id);
  });
});
