import type { ActiveApiKey } from './api-key-store';

/**
 * Recently authenticated keys, by secret hash, so that a request costs one query (its own)
 * rather than two. Safe because revocation is announced to every process (LISTEN/NOTIFY,
 * see revocation-listener.ts) and evicts at once; `ttlMs` bounds the staleness if an
 * announcement is ever missed, and while the listener is down the cache is bypassed.
 * Unknown keys are never cached: a new key works at once, and guesses cannot fill memory.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { key: ActiveApiKey; expiresAt: number }>();
  private enabled = true;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(secretHash: string, now = Date.now()): ActiveApiKey | undefined {
    const entry = this.entries.get(secretHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now || !this.enabled) {
      this.entries.delete(secretHash);
      return undefined;
    }
    return entry.key;
  }

  set(secretHash: string, key: ActiveApiKey, now = Date.now()): void {
    if (!this.enabled || this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(secretHash, { key, expiresAt: now + this.ttlMs });
  }

  evict(secretHash: string): void {
    this.entries.delete(secretHash);
  }

  /** While revocations cannot be heard, nothing is served from memory. */
  suspend(): void {
    this.enabled = false;
    this.entries.clear();
  }

  resume(): void {
    this.entries.clear();
    this.enabled = true;
  }
}
