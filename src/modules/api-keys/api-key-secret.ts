import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'blk_';

/** 32 random bytes: unguessable, so a plain SHA-256 is a sound way to store it (no need for a slow KDF). */
export function generateApiKeySecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const PUBLIC_ID_PREFIX = 'kid_';
/** The shape of a public id; migration 0007 gave every key made before it one. */
export const API_KEY_PUBLIC_ID_PATTERN = /^kid_[0-9a-f]{12}$/;

/**
 * What lists show so people can tell keys apart: random, so it says nothing of the secret (it
 * used to be the secret's first characters, and a chosen bootstrap secret's first 10 are a hint).
 */
export function generateApiKeyPublicId(): string {
  return PUBLIC_ID_PREFIX + randomBytes(6).toString('hex');
}
