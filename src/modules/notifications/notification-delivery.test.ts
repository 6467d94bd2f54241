import { createServer, type AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, mailboxBody, uniqueEmail } from '../../../test/factories';
import { DELIVERY_MAX_ATTEMPTS } from './notifications.jobs';

interface ReceivedMessage {
  from: string;
  to: string[];
  raw: string;
  encrypted: boolean;
}

/**
 * A real SMTP listener on an ephemeral port, offering STARTTLS (or TLS from the start with
 * `secure`) with smtp-server's self-signed certificate: `refused.*` recipients are always
 * refused, `flaky.*` ones the first time only. It records the TLS state of each message.
 */
async function startSmtpListener(options: { secure?: boolean } = {}) {
  const received: ReceivedMessage[] = [];
  const refusedOnce = new Set<string>();
  const server = new SMTPServer({
    secure: options.secure ?? false,
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
      if (address.address.startsWith('refused.'))
        return callback(refusal(550, `5.1.1 <${address.address}>: no such user`));
      if (address.address.startsWith('flaky.') && !refusedOnce.has(address.address)) {
        refusedOnce.add(address.address);
        return callback(refusal(451, '4.3.0 try again later'));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          encrypted: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Quoted-printable (soft breaks, =XX bytes) to text. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index += 1) {
    const hex = joined.slice(index + 1, index + 3);
    if (joined[index] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(joined[index]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A header's value, unfolded, with its RFC 2047 encoded words decoded. */
function headerOf(raw: string, name: string): string {
  const headers = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line =
    headers.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`)) ?? '';
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?(.*?)\?=/gi, (_match, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

const bodyOf = (raw: string) =>
  decodeQuotedPrintable(
    raw
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n\n'),
  );

async function createNotifiedBox(test: TestApp, structureId: string, email: string) {
  const response = await test.http
    .post('/v1/mailboxes')
    .set(bearer(test.operatorKey))
    .send(mailboxBody(structureId, 'PER', { email, notify: true }))
    .expect(201);
  return response.body as { id: string; email: string };
}

async function outboxOf(test: TestApp, mailboxId: string) {
  const response = await test.http
    .get(`/v1/notifications?mailboxId=${mailboxId}`)
    .set(bearer(test.operatorKey))
    .expect(200);
  return response.body.items as {
    id: string;
    recipient: string;
    subject: string;
    body: string;
    status: string;
    attempts: number;
    lastError: string | null;
    sentAt: string | null;
  }[];
}

async function deliveryJobOf(test: TestApp, notificationId: string) {
  const [job] = await selectRows<{ status: string; attempts: number; last_error: string | null }>(
    test.app.db,
    sql`
    select status, attempts, last_error from jobs
     where name = 'notification.deliver' and payload->>'notificationId' = ${notificationId}`,
  );
  return job!;
}

describe('delivery to a working SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let test: TestApp;
  let structureId: string;
  beforeAll(async () => {
    smtp = await startSmtpListener();
    test = await createTestApp({
      // The test relay's certificate is self-signed: trusting it is an option of SMTP_URL.
      environment: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`,
        SMTP_FROM: 'Balise <balise@operateur.example.fr>',
      },
      jobRunner: { retryBaseSeconds: 0 },
    });
    structureId = (await createStructure(test)).id;
  });
  afterAll(async () => {
    await test.close();
    await smtp.close();
  });

  it("sends the invitation to the box's address, with its token, and marks it sent", async () => {
    const box = await createNotifiedBox(test, structureId, uniqueEmail('invitee'));
    const [queued] = await outboxOf(test, box.id);
    expect(queued).toMatchObject({ status: 'queued', attempts: 0, sentAt: null });
    await test.app.jobs.drain();

    const messages = smtp.received.filter((message) => message.to.includes(box.email));
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.to).toEqual([box.email]);
    expect(message!.from).toBe('balise@operateur.example.fr');
    expect(message!.encrypted).toBe(true);
    expect(headerOf(message!.raw, 'Subject')).toBe(queued!.subject);
    expect(headerOf(message!.raw, 'X-Balise-Notification-Id')).toBe(queued!.id);
    const token = /^ {4}(\S+)$/m.exec(queued!.body)![1]!;
    expect(bodyOf(message!.raw)).toContain(token);
    expect(bodyOf(message!.raw)).toContain('Bonjour Jean Dupont');

    const [sent] = await outboxOf(test, box.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: expect.any(String) });
    expect(await deliveryJobOf(test, queued!.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    // Delivered once: draining again sends nothing more.
    await test.app.jobs.drain();
    expect(smtp.received.filter((received) => received.to.includes(box.email))).toHaveLength(1);
  });

  it('retries after a temporary refusal, keeping the error, and then delivers', async () => {
    const box = await createNotifiedBox(test, structureId, uniqueEmail('flaky'));
    await test.app.jobs.drain();
    const [notification] = await outboxOf(test, box.id);
    expect(notification).toMatchObject({ status: 'sent', attempts: 2, sentAt: expect.any(String) });
    expect(notification!.lastError).toContain('451');
    expect(smtp.received.filter((message) => message.to.includes(box.email))).toHaveLength(1);
    expect(await deliveryJobOf(test, notification!.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it("gives up after the last attempt: failed, with the server's answer, and no address in the job's record", async () => {
    const box = await createNotifiedBox(test, structureId, uniqueEmail('refused'));
    await test.app.jobs.drain();
    const [notification] = await outboxOf(test, box.id);
    expect(notification).toMatchObject({ status: 'failed', attempts: DELIVERY_MAX_ATTEMPTS, sentAt: null });
    expect(notification!.lastError).toMatch(/EENVELOPE.*550/);
    const job = await deliveryJobOf(test, notification!.id);
    expect(job).toMatchObject({ status: 'failed', attempts: DELIVERY_MAX_ATTEMPTS });
    expect(job.last_error).toContain('550');
    expect(job.last_error).not.toContain(box.email);
    expect(smtp.received.filter((message) => message.to.includes(box.email))).toEqual([]);
  });
});

describe('delivery over TLS from the start (smtps)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let test: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpListener({ secure: true });
    test = await createTestApp({
      environment: { SMTP_URL: `smtps://127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false` },
    });
  });
  afterAll(async () => {
    await test.close();
    await smtp.close();
  });

  it('sends the message encrypted and marks it sent', async () => {
    const { id: structureId } = await createStructure(test);
    const box = await createNotifiedBox(test, structureId, uniqueEmail('secure'));
    await test.app.jobs.drain();
    expect(smtp.received).toEqual([expect.objectContaining({ to: [box.email], encrypted: true })]);
    expect((await outboxOf(test, box.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('delivery when the SMTP server is down', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({
      environment: { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` },
      jobRunner: { retryBaseSeconds: 0 },
    });
  });
  afterAll(() => test.close());

  it('records each failed attempt, retries, and ends failed', async () => {
    const { id: structureId } = await createStructure(test);
    const box = await createNotifiedBox(test, structureId, uniqueEmail('unlucky'));
    // One attempt at a time: each failure is counted and the message stays queued for the retry.
    expect(await test.app.jobs.runNext()).toBe(true);
    const [afterFirst] = await outboxOf(test, box.id);
    expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1 });
    expect(afterFirst!.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
    expect(await deliveryJobOf(test, afterFirst!.id)).toMatchObject({ status: 'queued', attempts: 1 });

    await test.app.jobs.drain();
    const [final] = await outboxOf(test, box.id);
    expect(final).toMatchObject({ status: 'failed', attempts: DELIVERY_MAX_ATTEMPTS, sentAt: null });
    expect(await deliveryJobOf(test, final!.id)).toMatchObject({ status: 'failed', attempts: DELIVERY_MAX_ATTEMPTS });
  });
});
