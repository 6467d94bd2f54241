import http from 'node:http';
import https from 'node:https';
import { guardedLookup, literalAddressRefusal, type WebhookAddressPolicy } from './webhook-address-guard';

/** The whole exchange, connection included; a slower receiver is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** What is read of a receiver's answer (it is not stored, only drained so the socket can be reused). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface AttemptOutcome {
  statusCode: number | null;
  durationMs: number;
  /** Why it failed, null on a 2xx; never the body the receiver answered (it may hold anything). */
  error: string | null;
}

/**
 * Posts webhook messages. node:http follows no redirect (a 3xx is a failure here: following one
 * would let a receiver send Balise elsewhere, past the guard), and both agents resolve names
 * through `guardedLookup`. Keep-alive agents: a busy endpoint gets its messages over a few
 * connections instead of a handshake each.
 */
export class WebhookSender {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(private readonly policy: WebhookAddressPolicy) {
    const options = { keepAlive: true, maxSockets: 64, lookup: guardedLookup(policy) };
    this.agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  }

  async send(target: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(target);
    const refusal =
      url.protocol === 'https:' || (url.protocol === 'http:' && this.policy.allowHttp)
        ? literalAddressRefusal(url, this.policy)
        : `the ${url.protocol} scheme is not allowed`;
    if (refusal) return { statusCode: null, durationMs: 0, error: `refused: ${refusal}` };
    try {
      const statusCode = await this.post(url, body, headers);
      const ok = statusCode >= 200 && statusCode < 300;
      const error = ok
        ? null
        : statusCode >= 300 && statusCode < 400
          ? `answered ${statusCode}: redirects are not followed`
          : `answered ${statusCode}`;
      return { statusCode, durationMs: elapsed(), error };
    } catch (error) {
      return { statusCode: null, durationMs: elapsed(), error: describe(error) };
    }
  }

  private post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
    const library = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
    return new Promise((resolve, reject) => {
      const request = library.request(url, {
        method: 'POST',
        agent,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Balise-Webhooks/1',
        },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('error', () => resolve(response.statusCode ?? 0));
        response.on('close', () => resolve(response.statusCode ?? 0));
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.end(body);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError')
      return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
