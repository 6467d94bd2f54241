/**
 * A map from strings to numbers that keeps its keys' bytes and its table in buffers, outside
 * V8's heap. The validation pass remembers every row's e-mail and claimed MSSanté address for the
 * whole file: in a `Map` that is about 90 bytes per key on the heap (the string, its header, the
 * table's entry and slack), 18 MB for a 100,000-row file. V8 then lets the heap grow half as much
 * again past it before collecting (`BALISE_HEAP_GROWING_PERCENT`), so the peak memory of an
 * import moves by twice that. Here a key costs its UTF-8 bytes and about 30 bytes of typed
 * arrays, none of it seen by the collector, and a key is copied in: it never keeps alive the
 * parser's text it was sliced from.
 *
 * Open addressing with linear probing over a power-of-two table kept at most half full; each
 * entry keeps its key's hash, so a probe compares bytes only when the hashes agree. Keys and
 * entries fill fixed-size blocks and pages that are added, never copied, as the map grows: no
 * moment holds a full copy beside the original (only the slot table, 4 bytes a slot, is rebuilt).
 */
export class OffHeapStringMap {
  private readonly keyBlocks: Buffer[] = [];
  /** Bytes used in the last key block. */
  private keyBlockUsed = KEY_BLOCK_BYTES;
  /** Per entry, 4 numbers: the key's block, its start there, its length in bytes, its hash. */
  private readonly entryPages: Uint32Array[] = [];
  private readonly valuePages: Float64Array[] = [];
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private slots = new Uint32Array(1024);
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
    return entry === -1 ? undefined : this.valuePages[entry >>> PAGE_BITS]![entry & PAGE_MASK];
  }

  set(key: string, value: number): this {
    const hash = hashOf(key);
    const known = this.find(key, hash);
    if (known !== -1) {
      this.valuePages[known >>> PAGE_BITS]![known & PAGE_MASK] = value;
      return this;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.growSlots();
    const entry = this.count;
    if ((entry & PAGE_MASK) === 0) {
      this.entryPages.push(new Uint32Array(PAGE_ENTRIES * 4));
      this.valuePages.push(new Float64Array(PAGE_ENTRIES));
    }
    const length = Buffer.byteLength(key, 'utf8');
    if (this.keyBlockUsed + length > KEY_BLOCK_BYTES) {
      // A key longer than a block gets a block of its own, which is full at once.
      this.keyBlocks.push(Buffer.alloc(Math.max(KEY_BLOCK_BYTES, length)));
      this.keyBlockUsed = 0;
    }
    const block = this.keyBlocks.length - 1;
    const meta = this.entryPages[entry >>> PAGE_BITS]!;
    const at = (entry & PAGE_MASK) * 4;
    meta[at] = block;
    meta[at + 1] = this.keyBlockUsed;
    meta[at + 2] = length;
    meta[at + 3] = hash;
    this.keyBlockUsed += this.keyBlocks[block]!.write(key, this.keyBlockUsed, 'utf8');
    this.valuePages[entry >>> PAGE_BITS]![entry & PAGE_MASK] = value;
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
      const meta = this.entryPages[entry >>> PAGE_BITS]!;
      const at = (entry & PAGE_MASK) * 4;
      if (meta[at + 3] !== hash) continue;
      if (keyLength === -1) keyLength = this.encodeInScratch(key);
      const start = meta[at + 1]!;
      const length = meta[at + 2]!;
      if (
        length === keyLength &&
        this.keyBlocks[meta[at]!]!.compare(this.scratch, 0, length, start, start + length) === 0
      )
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
    for (let entry = 0; entry < this.count; entry += 1) {
      const hash = this.entryPages[entry >>> PAGE_BITS]![(entry & PAGE_MASK) * 4 + 3]!;
      this.slots[this.freeSlot(hash)] = entry + 1;
    }
  }
}

const PAGE_BITS = 12;
const PAGE_ENTRIES = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ENTRIES - 1;
const KEY_BLOCK_BYTES = 256 * 1024;

/**
 * FNV-1a over the UTF-16 code units, mixed at the end so that the low bits (the slot) vary; as an
 * unsigned 32-bit number, the way the entry pages store it.
 */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return (hash ^ (hash >>> 13)) >>> 0;
}
