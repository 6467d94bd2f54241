import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  /** The request's path: tests give each endpoint a path of its own. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A status to answer, or `hang-up`: the connection is closed with no answer at all. */
export type ReceiverAnswer = number | 'hang-up';

/**
 * A real HTTP endpoint on a free port of this machine (any address, so `localhost` reaches it as ::1 or 127.0.0.1): it keeps every message and answers the statuses
 * queued in `answers` first, then 200.
 */
export class WebhookReceiver {
  readonly received: ReceivedMessage[] = [];
  readonly answers: ReceiverAnswer[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = this.answers.shift() ?? 200;
        if (answer === 'hang-up') {
          request.socket.destroy();
          return;
        }
        response.statusCode = answer;
        response.end();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, resolve));
    return this;
  }

  /** `http://localhost:<port>/<path>`: a name, so that delivery resolves it (and the guard judges 127.0.0.1). */
  url(path = 'hook'): string {
    return `http://localhost:${(this.server.address() as AddressInfo).port}/${path}`;
  }

  /** The headers Standard Webhooks verification reads, as plain strings. */
  static signatureHeaders(message: ReceivedMessage): Record<string, string> {
    const header = (name: string) => String(message.headers[name] ?? '');
    return {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
