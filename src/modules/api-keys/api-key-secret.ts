import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'blk_';

/** 32 random bytes: unguessable, so a plain SHA-256 is a sound way to store it (no need for a slow KDF). */
export function generateApiKeySecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What lists show so people can tell keys apart without the secret. */
export function displayPrefixOf(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + 6);
}
