import { sql } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { selectRows } from '../../db/database';
import { enqueueJob } from '../../platform/jobs/job-queue';
import { periodKeyOf } from '../../platform/jobs/scheduler';
import { ManualClock } from '../../shared/clock';
import { createApiKey, createMailbox, createStructure, createValidMailbox } from '../../../test/factories';
import { settleEventFeed } from '../../../test/event-feed';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { WebhookReceiver, type ReceivedMessage } from './webhook-receiver.test-support';
import { dispatchWebhooksJob } from './webhooks.jobs';
import { dispatchEventBatch } from './webhook-dispatch';
import { assertWebhookUrlAllowed } from './webhook-address-guard';
import type { AppError } from '../../domain/errors/error-catalogue';

/**
 * Webhooks end to end: registered through the API, fed by the dispatcher from the event feed,
 * delivered by the job queue over real HTTP to a receiver of the test's own, and verified there
 * with the Standard Webhooks library. Time is the app's clock, set in the past of the database's
 * `now()`: every planned retry is due at once, and the clock says when it was planned.
 */
const clock = new ManualClock('2026-01-05T08:00:00.000Z');
let test: TestApp;
let receiver: WebhookReceiver;
beforeAll(async () => {
  test = await createTestApp({
    clock,
    environment: { BALISE_WEBHOOKS_ALLOW_HTTP: 'true', BALISE_WEBHOOKS_ALLOW_PRIVATE: 'true' },
  });
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.close();
  await test.close();
});

interface CreatedWebhook {
  id: string;
  secret: string;
  structureIds: string[];
}

async function createWebhook(key: string, body: Record<string, unknown>, app = test) {
  return app.http.post('/v1/webhooks').set(bearer(key)).send(body);
}

async function registerWebhook(key: string, body: Record<string, unknown>): Promise<CreatedWebhook> {
  const response = await createWebhook(key, body);
  if (response.status !== 201) throw new Error(`createWebhook: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedWebhook;
}

/**
 * What the runners do as time passes: a dispatch run, then every job due. Two seconds on: a run
 * enqueues its successor for the next second, which the previous call's drain has run already.
 */
async function deliverPending(app = test): Promise<void> {
  clock.set(new Date(clock.now().getTime() + 2000));
  const second = new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
  await settleEventFeed(app);
  await enqueueJob(
    app.app.db,
    dispatchWebhooksJob,
    { periodStart: second.toISOString() },
    {
      singletonKey: periodKeyOf(dispatchWebhooksJob.name, second),
    },
  );
  await app.app.jobs.drain();
}

const verify = (secret: string, message: ReceivedMessage, body = message.body) =>
  new StandardWebhook(secret).verify(body, WebhookReceiver.signatureHeaders(message)) as { id: string; type: string };

const messagesFor = (path: string) => receiver.received.filter((message) => message.path === `/${path}`);

interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  status: string;
  attempts: { at: string; statusCode: number | null; error: string | null }[];
  nextAttemptAt: string | null;
}
async function deliveriesOf(webhookId: string, key = test.operatorKey): Promise<Delivery[]> {
  const response = await test.http.get(`/v1/webhooks/${webhookId}/deliveries`).set(bearer(key));
  expect(response.status).toBe(200);
  return (response.body as { items: Delivery[] }).items;
}

describe('webhook delivery', () => {
  let structureA: { id: string };
  let adminA: { key: string };
  let webhook: CreatedWebhook;
  const pathA = 'a-provisioning';

  beforeAll(async () => {
    structureA = await createStructure(test);
    adminA = await createApiKey(test, 'admin', [structureA.id]);
    webhook = await registerWebhook(adminA.key, {
      url: receiver.url(pathA),
      events: ['mailbox.created', 'mailbox.registered', 'mailbox.validated'],
      structureIds: [structureA.id],
    });
  });

  it('sends mailbox.created, then .registered and .validated, signed, as the feed shows them; a tampered body fails', async () => {
    expect(webhook.secret).toMatch(/^whsec_/);
    // A box an admin creates is preregistered (`mailbox.created`); one a person signs up for is
    // `mailbox.registered`, then `mailbox.validated` by the admin: nothing validates a preregistered box.
    const created = await createMailbox(test, structureA.id, 'PER', {}, adminA.key);
    await deliverPending();
    const signedUp = await createValidMailbox(test, structureA.id);
    await deliverPending();

    const messages = messagesFor(pathA);
    const events = messages.map((message) => verify(webhook.secret, message));
    expect(events.map((event) => [event.type, (event as unknown as { mailboxId: string }).mailboxId])).toEqual([
      ['mailbox.created', created.id],
      ['mailbox.registered', signedUp.id],
      ['mailbox.validated', signedUp.id],
    ]);
    expect(messages.map((message) => message.headers['webhook-id'])).toEqual(events.map((event) => event.id));

    await settleEventFeed(test);
    const feed = await test.http.get('/v1/events').query({ type: 'mailbox.', limit: 500 }).set(bearer(adminA.key));
    const ids = new Set(events.map((event) => event.id));
    expect((feed.body as { items: { id: string }[] }).items.filter((event) => ids.has(event.id))).toEqual(events);

    const tampered = messages[0]!.body.replace('"preregistered"', '"valid"');
    expect(tampered).not.toBe(messages[0]!.body);
    expect(() => verify(webhook.secret, messages[0]!, tampered)).toThrow();
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, messages[0]!)).toThrow();
  });

  it('retries a receiver answering 500 twice and gets it through on the third try, same webhook-id', async () => {
    receiver.answers.push(500, 500);
    const box = await createMailbox(test, structureA.id, 'PER', {}, adminA.key);
    await deliverPending();

    const tries = receiver.received.filter((message) => message.body.includes(box.id));
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((message) => message.headers['webhook-id'])).size).toBe(1);
    expect(new Set(tries.map((message) => message.body)).size).toBe(1);
    const [delivery] = (await deliveriesOf(webhook.id, adminA.key)).filter(
      (item) => item.messageId === tries[0]!.headers['webhook-id'],
    );
    expect(delivery).toMatchObject({ status: 'succeeded', eventType: 'mailbox.created', nextAttemptAt: null });
    expect(delivery!.attempts.map((attempt) => [attempt.statusCode, attempt.error])).toEqual([
      [500, 'answered 500'],
      [500, 'answered 500'],
      [200, null],
    ]);
  });

  it('redelivers a message with the same id and body, and refuses while an attempt is planned', async () => {
    const [delivery] = await deliveriesOf(webhook.id, adminA.key);
    const before = receiver.received.length;
    const redeliver = () =>
      test.http.post(`/v1/webhooks/${webhook.id}/deliveries/${delivery!.id}/redeliver`).set(bearer(adminA.key));
    const planned = await redeliver();
    expect(planned.status).toBe(202);
    expect(planned.body).toMatchObject({ id: delivery!.id, status: 'pending' });
    expect((await redeliver()).status).toBe(409);
    await test.app.jobs.drain();

    const again = receiver.received.slice(before);
    expect(again).toHaveLength(1);
    expect(verify(webhook.secret, again[0]!).id).toBe(delivery!.messageId);
    const [after] = (await deliveriesOf(webhook.id, adminA.key)).filter((item) => item.id === delivery!.id);
    expect(after!.attempts).toHaveLength(delivery!.attempts.length + 1);
  });

  it('signs with the old and the new secret for 24 hours after a rotation, then with the new one only', async () => {
    const rotated = await test.http.post(`/v1/webhooks/${webhook.id}/rotate-secret`).set(bearer(adminA.key));
    expect(rotated.status).toBe(200);
    const newSecret = (rotated.body as { secret: string }).secret;
    expect(newSecret).not.toBe(webhook.secret);

    const ping = async () => {
      const sent = await test.http.post(`/v1/webhooks/${webhook.id}/ping`).set(bearer(adminA.key));
      expect(sent.status).toBe(202);
      await test.app.jobs.drain();
      return receiver.received.at(-1)!;
    };
    const during = await ping();
    expect(verify(webhook.secret, during).type).toBe('webhook.ping');
    expect(verify(newSecret, during).type).toBe('webhook.ping');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);

    clock.set(new Date(clock.now().getTime() + 25 * 3_600_000));
    const after = await ping();
    expect(verify(newSecret, after).type).toBe('webhook.ping');
    expect(() => verify(webhook.secret, after)).toThrow();
    webhook = { ...webhook, secret: newSecret };
  });

  it('audits every change and publishes it, without the secret', async () => {
    const changed = await test.http
      .patch(`/v1/webhooks/${webhook.id}`)
      .set(bearer(adminA.key))
      .send({ description: 'DPI' });
    expect(changed.status).toBe(200);
    await settleEventFeed(test);
    const feed = await test.http.get('/v1/events').query({ type: 'webhook.', limit: 500 }).set(bearer(adminA.key));
    const types = (feed.body as { items: { type: string; subject: { id: string } }[] }).items
      .filter((event) => event.subject.id === webhook.id)
      .map((event) => event.type);
    expect(types).toEqual(['webhook.created', 'webhook.secret_rotated', 'webhook.updated']);
    expect(JSON.stringify(feed.body)).not.toContain('whsec_');
    // Messages sent on request are kept too: who pinged the endpoint (twice, in the rotation test) and who asked for a redelivery.
    const requested = (feed.body as { items: { type: string; data: { webhookId?: string } }[] }).items
      .filter((event) => event.data.webhookId === webhook.id)
      .map((event) => event.type);
    expect(requested).toEqual(['webhook.redelivery_requested', 'webhook.pinged', 'webhook.pinged']);
    const [stored] = await selectRows<{ secret_ciphertext: string }>(
      test.app.db,
      sql`select secret_ciphertext from webhooks where id = ${webhook.id}`,
    );
    expect(stored!.secret_ciphertext).not.toContain(webhook.secret.slice(6, 20));
  });

  it('honours If-Match on PATCH and DELETE; the ETag follows every change, a recorded failure included', async () => {
    // A structure of its own: the failures queued below must reach this endpoint only.
    const structure = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [structure.id]);
    const hook = await registerWebhook(admin.key, {
      url: receiver.url('etag'),
      events: ['mailbox.created'],
      structureIds: [structure.id],
    });
    const read = await test.http.get(`/v1/webhooks/${hook.id}`).set(bearer(admin.key));
    const etag = String(read.headers.etag);
    expect(etag).toMatch(/^"\d+"$/);

    const changed = await test.http
      .patch(`/v1/webhooks/${hook.id}`)
      .set(bearer(admin.key))
      .set('if-match', etag)
      .send({ description: 'DPI urgences' });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const stale = await test.http
      .patch(`/v1/webhooks/${hook.id}`)
      .set(bearer(admin.key))
      .set('if-match', etag)
      .send({ description: 'lost update' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', currentEtag: changed.headers.etag });

    // A delivery that fails starts the endpoint's failing streak: what GET shows changed, so its ETag did.
    receiver.answers.push(...Array<number>(8).fill(503));
    await createMailbox(test, structure.id, 'PER', {}, admin.key);
    await deliverPending();
    const failing = await test.http.get(`/v1/webhooks/${hook.id}`).set(bearer(admin.key));
    expect(failing.body.failingSince).not.toBeNull();
    expect(failing.headers.etag).not.toBe(changed.headers.etag);

    const refused = await test.http
      .delete(`/v1/webhooks/${hook.id}`)
      .set(bearer(admin.key))
      .set('if-match', String(changed.headers.etag));
    expect(refused.status).toBe(412);
    const deleted = await test.http
      .delete(`/v1/webhooks/${hook.id}`)
      .set(bearer(admin.key))
      .set('if-match', String(failing.headers.etag));
    expect(deleted.status).toBe(204);
  });

  it('keeps an admin of A out of B: no subscription to B, no sight of B’s endpoints or events', async () => {
    const structureB = await createStructure(test);
    const forB = await registerWebhook(test.operatorKey, {
      url: receiver.url('b-only'),
      events: ['*'],
      structureIds: [structureB.id],
    });
    const refused = await createWebhook(adminA.key, {
      url: receiver.url(),
      events: ['*'],
      structureIds: [structureA.id, structureB.id],
    });
    expect(refused.status).toBe(404);
    expect((await createWebhook(adminA.key, { url: receiver.url(), events: ['*'] })).status).toBe(422);
    expect((await test.http.get(`/v1/webhooks/${forB.id}`).set(bearer(adminA.key))).status).toBe(404);
    expect((await test.http.get(`/v1/webhooks/${forB.id}/deliveries`).set(bearer(adminA.key))).status).toBe(404);
    const moved = await test.http
      .patch(`/v1/webhooks/${webhook.id}`)
      .set(bearer(adminA.key))
      .send({ structureIds: [structureB.id] });
    expect(moved.status).toBe(404);
    const listed = await test.http.get('/v1/webhooks').set(bearer(adminA.key));
    expect((listed.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([webhook.id]);

    const boxB = await createMailbox(test, structureB.id);
    await deliverPending();
    expect(messagesFor(pathA).filter((message) => message.body.includes(boxB.id))).toHaveLength(0);
    expect(messagesFor('b-only').filter((message) => message.body.includes(boxB.id))).toHaveLength(1);
  });

  it('refuses an unknown event type, naming the field', async () => {
    const response = await createWebhook(adminA.key, {
      url: receiver.url(),
      events: ['mailbox.nope'],
      structureIds: [structureA.id],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'events', code: 'UNKNOWN_EVENT_TYPE' })]);
  });
});

describe('dispatch from several runners at once', () => {
  it('turns each event into one delivery per endpoint, however many dispatchers run together', async () => {
    const structure = await createStructure(test);
    const hook = await registerWebhook(test.operatorKey, {
      url: receiver.url('concurrent'),
      events: ['mailbox.created'],
      structureIds: [structure.id],
    });
    const boxes = await Promise.all(Array.from({ length: 12 }, () => createMailbox(test, structure.id)));
    await settleEventFeed(test);
    const deps = { db: test.app.db, clock };
    // On PostgreSQL these are four transactions on four connections; one holds the cursor, the others skip.
    for (;;) {
      const runs = await Promise.all(Array.from({ length: 4 }, () => dispatchEventBatch(deps)));
      if (runs.every((run) => run === undefined || run.events === 0)) break;
    }
    const rows = await selectRows<{ message_id: string; copies: number }>(
      test.app.db,
      sql`select message_id, count(*)::int as copies from webhook_deliveries where webhook_id = ${hook.id} group by message_id`,
    );
    expect(rows).toHaveLength(boxes.length);
    expect(rows.every((row) => row.copies === 1)).toBe(true);
    await test.app.jobs.drain();
    expect(messagesFor('concurrent')).toHaveLength(boxes.length);
  });
});

describe('a backlog for one endpoint', () => {
  let structure: { id: string };
  let hook: CreatedWebhook;
  beforeAll(async () => {
    structure = await createStructure(test);
    hook = await registerWebhook(test.operatorKey, {
      url: receiver.url('backlog'),
      events: ['mailbox.created'],
      structureIds: [structure.id],
    });
  });

  it('delivers every event once, in the order of the feed, however many jobs carry them', async () => {
    // More than one job's worth (DELIVERY_CHUNK): the messages of an endpoint go in feed order across jobs too.
    for (let created = 0; created < 60; created += 1) await createMailbox(test, structure.id);
    await deliverPending();

    await settleEventFeed(test);
    const feed = await test.http
      .get('/v1/events')
      .query({ type: 'mailbox.created', structureId: structure.id, limit: 500 })
      .set(bearer(test.operatorKey));
    const feedIds = (feed.body as { items: { id: string }[] }).items.map((event) => event.id);
    expect(feedIds).toHaveLength(60);
    expect(messagesFor('backlog').map((message) => verify(hook.secret, message).id)).toEqual(feedIds);
    const deliveries = await deliveriesOf(hook.id);
    expect(deliveries.every((delivery) => delivery.status === 'succeeded' && delivery.attempts.length === 1)).toBe(
      true,
    );
  });

  it('sends no more of a job’s messages once the endpoint hung up, and sends them when the failed one is retried', async () => {
    const before = messagesFor('backlog').length;
    receiver.answers.push('hang-up');
    for (let created = 0; created < 3; created += 1) await createMailbox(test, structure.id);
    await deliverPending();

    const received = messagesFor('backlog')
      .slice(before)
      .map((message) => String(message.headers['webhook-id']));
    const [first, , second, third] = received;
    // The hung-up message, its retry, then the two held back from the first job: not sent while it was failing.
    expect(received).toEqual([first, first, second, third]);
    expect(new Set(received).size).toBe(3);
    const deliveries = await deliveriesOf(hook.id);
    const attemptsOf = (messageId: string | undefined) =>
      deliveries
        .find((delivery) => delivery.messageId === messageId)!
        .attempts.map((attempt) => [attempt.statusCode, attempt.error]);
    expect(attemptsOf(first)).toEqual([
      [null, expect.stringContaining('socket hang up')],
      [200, null],
    ]);
    expect(attemptsOf(second)).toEqual([[200, null]]);
    expect(attemptsOf(third)).toEqual([[200, null]]);
  });
});

describe('an endpoint failing for five days', () => {
  it('fails each message after its last retry, then is disabled and its structure’s contact told', async () => {
    const structure = await createStructure(test, { contactEmail: 'dsi@hopital.example.fr' });
    const failing = await registerWebhook(test.operatorKey, {
      url: receiver.url('failing'),
      events: ['mailbox.created'],
      structureIds: [structure.id],
    });
    receiver.answers.push(...Array<number>(8).fill(503));
    await createMailbox(test, structure.id);
    await deliverPending();
    const [first] = await deliveriesOf(failing.id);
    expect(first).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect(first!.attempts).toHaveLength(8);

    clock.advanceDays(5);
    receiver.answers.push(503);
    await createMailbox(test, structure.id);
    await deliverPending();
    const after = await test.http.get(`/v1/webhooks/${failing.id}`).set(bearer(test.operatorKey));
    expect(after.body).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const notices = await test.http
      .get('/v1/notifications')
      .query({ structureId: structure.id, kind: 'webhook_disabled' })
      .set(bearer(test.operatorKey));
    expect(notices.status).toBe(200);
    expect(notices.body.items).toEqual([expect.objectContaining({ recipient: 'dsi@hopital.example.fr' })]);
  });
});

describe('the server-side request forgery guard (no BALISE_WEBHOOKS_ALLOW_PRIVATE)', () => {
  let guarded: TestApp;
  beforeAll(async () => {
    guarded = await createTestApp({ clock, environment: { BALISE_WEBHOOKS_ALLOW_HTTP: 'true' } });
  });
  afterAll(() => guarded.close());

  it('refuses a URL resolving to 127.0.0.1 at registration, and at delivery when the name changed since', async () => {
    const structure = await createStructure(guarded);
    const body = { url: receiver.url(), events: ['*'], structureIds: [structure.id] };
    const refused = await createWebhook(guarded.operatorKey, body, guarded);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'url', code: 'URL_ADDRESS_REFUSED' })]);
    const literal = await createWebhook(guarded.operatorKey, { ...body, url: 'http://169.254.169.254/' }, guarded);
    expect(literal.body.errors).toEqual([expect.objectContaining({ field: 'url', code: 'URL_ADDRESS_REFUSED' })]);

    // As if the name resolved to a public address when registered, and to 127.0.0.1 now (DNS rebinding).
    const registered = await createWebhook(guarded.operatorKey, { ...body, url: 'http://93.184.215.14/' }, guarded);
    expect(registered.status).toBe(201);
    const webhookId = (registered.body as { id: string }).id;
    await guarded.app.db.execute(sql`update webhooks set url = ${receiver.url('rebound')} where id = ${webhookId}`);
    await createMailbox(guarded, structure.id);
    await deliverPending(guarded);

    expect(messagesFor('rebound')).toHaveLength(0);
    const deliveries = await guarded.http.get(`/v1/webhooks/${webhookId}/deliveries`).set(bearer(guarded.operatorKey));
    const attempts = (deliveries.body as { items: Delivery[] }).items.flatMap((item) => item.attempts);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts[0]!.error).toMatch(/not a public address/);
  });

  it('refuses plain http without BALISE_WEBHOOKS_ALLOW_HTTP, and credentials in the URL', async () => {
    const refusal = (url: string) =>
      assertWebhookUrlAllowed(url, { allowHttp: false, allowPrivate: true }).then(
        () => undefined,
        (error: AppError) => error.errors?.map((detail) => [detail.field, detail.code]),
      );
    expect(await refusal('http://example.org/hook')).toEqual([['url', 'URL_SCHEME_REFUSED']]);
    expect(await refusal('https://user:pw@example.org/hook')).toEqual([['url', 'URL_CREDENTIALS_REFUSED']]);
    expect(await refusal('https://example.org/hook')).toBeUndefined();
  });
});
