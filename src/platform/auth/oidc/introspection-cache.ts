import { createHash } from 'node:crypto';

/**
 * Introspection answers reused for a while, keyed by the token's SHA-256 (never the token itself).
 * In this process's memory: each process asks the provider once per token and period, which is
 * safe with any number of processes since an entry never outlives the token (`expiresAt` is at
 * most its `exp`) nor the configured period; a revoked token is believed until its entry ends.
 * Bounded: past `maxEntries`, the oldest entry goes.
 */
export class IntrospectionCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  }

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, expiresAt: number, now: number): void {
    if (expiresAt <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
