import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * A signing secret as the Standard Webhooks specification writes it: `whsec_` and the base64 of
 * 32 random bytes (the specification asks for 24 to 64).
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The Standard Webhooks headers of one attempt, signed by the `standardwebhooks` library (the
 * specification's own reference implementation) with every secret in force: during a rotation's
 * overlap the old and the new secret each sign, space-separated, and a receiver holding either
 * verifies. The timestamp is the wall clock of the attempt: receivers compare it with theirs to
 * refuse replays, so it is not the app's business clock.
 */
export function signedHeaders(messageId: string, body: string, secrets: readonly string[]): Record<string, string> {
  const at = new Date();
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' '),
  };
}
