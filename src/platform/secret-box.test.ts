import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('base64'));

  it('gives back what it sealed, never the same ciphertext twice, and no part of the secret', () => {
    const secret = 'whsec_' + randomBytes(32).toString('base64');
    const [first, second] = [box.seal(secret), box.seal(secret)];
    expect(box.open(first)).toBe(secret);
    expect(first).not.toBe(second);
    expect(first).not.toContain(secret.slice(6, 16));
  });

  it('refuses a tampered ciphertext and another key', () => {
    const sealed = box.seal('whsec_secret');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([...parts.slice(0, 3), flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed)).toThrow();
  });
});
