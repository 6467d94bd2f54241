/**
 * A map from strings to numbers that keeps its keys' bytes and its table in buffers, outside
 * V8's heap. The validation pass remembers every row's e-mail and claimed MSSanté address for the
 * whole file: in a `Map` that is about 90 bytes per key on the heap (the string, its header, the
 * table's entry and slack), 18 MB for a 100,000-row file. V8 then lets the heap grow half as much
 * again past it before collecting (`BALISE_HEAP_GROWING_PERCENT`), so the peak memory of an
 * import moves by twice that. Here a key costs its UTF-8 bytes and about 20 bytes of typed
 * arrays, none of it seen by the collector, and a key is copied in: it never keeps alive the
 * parser's text it was sliced from.
 *
 * Open addressing with linear probing over a power-of-two table kept at most half full; each
 * entry keeps its key's hash, so a probe compares bytes only when the hashes agree, and growing
 * rehashes nothing.
 */
export class OffHeapStringMap {
  private keyBytes = Buffer.alloc(16 * 1024);
  private keyBytesUsed = 0;
  /** Where each entry's key starts in `keyBytes`; it ends where the next one starts. */
  private keyStarts = new Uint32Array(256);
  private hashes = new Int32Array(256);
  private values = new Float64Array(256);
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private slots = new Uint32Array(512);
  private scratch = Buffer.alloc(256);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    return this.find(key, hashOf(key)) !== -1;
  }

  get(key: string): number | undefined {
    const entry = this.find(key, hashOf(key));
    return entry === -1 ? undefined : this.values[entry];
  }

  set(key: string, value: number): this {
    const hash = hashOf(key);
    const known = this.find(key, hash);
    if (known !== -1) {
      this.values[known] = value;
      return this;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.growSlots();
    if (this.count === this.keyStarts.length) this.growEntries();
    const length = Buffer.byteLength(key, 'utf8');
    if (this.keyBytesUsed + length > this.keyBytes.length) this.growKeyBytes(length);
    const entry = this.count;
    this.keyStarts[entry] = this.keyBytesUsed;
    this.keyBytesUsed += this.keyBytes.write(key, this.keyBytesUsed, 'utf8');
    this.hashes[entry] = hash;
    this.values[entry] = value;
    this.count += 1;
    this.slots[this.freeSlot(hash)] = entry + 1;
    return this;
  }

  /** The entry holding `key`, or -1. */
  private find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    let keyLength = -1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0) return -1;
      const entry = stored - 1;
      if (this.hashes[entry] !== hash) continue;
      if (keyLength === -1) keyLength = this.encodeInScratch(key);
      const start = this.keyStarts[entry]!;
      const end = entry + 1 < this.count ? this.keyStarts[entry + 1]! : this.keyBytesUsed;
      if (end - start === keyLength && this.keyBytes.compare(this.scratch, 0, keyLength, start, end) === 0)
        return entry;
    }
  }

  private freeSlot(hash: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  /** Writes `key` as UTF-8 into the scratch buffer; returns its length. */
  private encodeInScratch(key: string): number {
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    if (key.length * 3 > this.scratch.length) this.scratch = Buffer.alloc(key.length * 3);
    return this.scratch.write(key, 0, 'utf8');
  }

  private growSlots(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.count; entry += 1) this.slots[this.freeSlot(this.hashes[entry]!)] = entry + 1;
  }

  private growEntries(): void {
    const capacity = this.keyStarts.length * 2;
    this.keyStarts = grown(this.keyStarts, new Uint32Array(capacity));
    this.hashes = grown(this.hashes, new Int32Array(capacity));
    this.values = grown(this.values, new Float64Array(capacity));
  }

  private growKeyBytes(atLeast: number): void {
    const bigger = Buffer.alloc(Math.max(this.keyBytes.length * 2, this.keyBytesUsed + atLeast));
    this.keyBytes.copy(bigger, 0, 0, this.keyBytesUsed);
    this.keyBytes = bigger;
  }
}

function grown<Array extends Uint32Array | Int32Array | Float64Array>(from: Array, to: Array): Array {
  to.set(from);
  return to;
}

/** FNV-1a over the UTF-16 code units, mixed at the end so that the low bits (the slot) vary. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}
