import { createHash, randomBytes } from 'node:crypto';

/** A one-time registration token: the user gets it by e-mail, we keep only its hash. */
export function generateRegistrationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashRegistrationToken(token) };
}

export function hashRegistrationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
