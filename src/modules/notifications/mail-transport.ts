import { connect, type Socket } from 'node:net';
import type { Config } from '../../config/config';

/** What delivery needs from nodemailer (tests may hand in their own). */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    headers?: Record<string, string>;
  }): Promise<unknown>;
  close(): void;
}

/**
 * Our defaults, overridable in SMTP_URL's query string (nodemailer reads its options there, e.g.
 * `?requireTLS=true&tls.rejectUnauthorized=false`). Timeouts stay well under a job's lease, and
 * a small pool reuses connections when a reminder queues hundreds of messages.
 */
const TRANSPORT_DEFAULTS: Record<string, string> = {
  pool: 'true',
  maxConnections: '2',
  connectionTimeout: '10000',
  greetingTimeout: '10000',
  socketTimeout: '60000',
};

/**
 * The SMTP transport of SMTP_URL, or undefined when no SMTP is configured (messages then stay
 * queued). nodemailer is loaded only then: a process that sends no mail does not carry it.
 */
export async function createMailTransport(smtp: Config['smtp']): Promise<MailTransport | undefined> {
  if (!smtp.url) return undefined;
  const url = new URL(smtp.url);
  for (const [name, value] of Object.entries(TRANSPORT_DEFAULTS)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  }
  // No logger option: nodemailer would log envelopes, i.e. e-mail addresses.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(url.toString());
  // nodemailer's documented hook for custom sockets (it upgrades them to TLS itself for smtps and STARTTLS).
  (transport as unknown as { getSocket: typeof connectWithoutDelay }).getSocket = connectWithoutDelay;
  return transport;
}

interface SocketOptions {
  host?: string;
  port?: number;
  secure?: boolean;
}

/**
 * Opens the connection with Nagle's algorithm off. nodemailer writes a message's end in two
 * small packets; with Nagle on, the second waits for the relay's delayed ACK (40 ms on Linux):
 * we measured about 50 ms per message against a local relay, under 10 ms without the delay.
 * The socket is handed over while still connecting: nodemailer then owns its errors and timeouts
 * as for its own sockets (a failure reported through the callback would leak a pool slot).
 */
function connectWithoutDelay(
  options: SocketOptions,
  callback: (error: Error | null, socketOptions: { connection: Socket }) => void,
): void {
  const connection = connect({
    host: options.host ?? 'localhost',
    port: options.port ?? (options.secure ? 465 : 587),
    noDelay: true,
  });
  callback(null, { connection });
}

interface SmtpErrorFields {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

/** The whole story, for the outbox row (whose readers may see the recipient anyway). */
export function describeSmtpError(error: unknown): string {
  const fields = (error ?? {}) as SmtpErrorFields;
  const message = error instanceof Error ? error.message : String(error);
  const parts = [fields.code, fields.command && `(${fields.command})`, fields.response ?? message].filter(Boolean);
  return parts.join(' ').slice(0, 1000);
}

/**
 * A summary without the server's text, which often quotes the recipient's address: this one
 * goes to the job queue's record and the logs, where e-mail addresses never go.
 */
export function summariseSmtpError(error: unknown): string {
  const fields = (error ?? {}) as SmtpErrorFields;
  const details = [fields.code ?? 'ERROR', fields.command, fields.responseCode].filter((part) => part !== undefined);
  return `SMTP delivery failed: ${details.join(' ')}`;
}
