import { OffHeapStringMap } from './off-heap-string-map';

describe('OffHeapStringMap', () => {
  it('answers like a Map over many keys, through every growth', () => {
    const map = new OffHeapStringMap();
    const reference = new Map<string, number>();
    for (let index = 0; index < 30_000; index += 1) {
      const key = index % 3 === 0 ? `élise.müller${index}@chu-exemple.fr` : `p${index}@bench.mssante.fr`;
      map.set(key, index * 128 + 5);
      reference.set(key, index * 128 + 5);
    }
    expect(map.size).toBe(reference.size);
    for (const [key, value] of reference) expect(map.get(key)).toBe(value);
    expect(map.has('p30000@bench.mssante.fr')).toBe(false);
    expect(map.get('p1@bench.mssante.fr.')).toBeUndefined();
  });

  it('replaces the value of a key set again, without a second entry', () => {
    const map = new OffHeapStringMap();
    map.set('a@b.fr', 1).set('a@b.fr', 2);
    expect(map.get('a@b.fr')).toBe(2);
    expect(map.size).toBe(1);
  });

  it('tells apart keys of the same length and the prefixes of a key', () => {
    const map = new OffHeapStringMap();
    map.set('ab', 1).set('ba', 2).set('abc', 3).set('', 4);
    expect([map.get('ab'), map.get('ba'), map.get('abc'), map.get(''), map.get('a')]).toEqual([1, 2, 3, 4, undefined]);
  });

  it('keeps keys of any script and length, surrogate pairs and keys longer than a key block included', () => {
    const map = new OffHeapStringMap();
    const keys = ['ﬁn@x.fr', 'Ωmega@x.fr', '😀@x.fr', 'x'.repeat(5_000), `${'é'.repeat(150_000)}@x.fr`];
    keys.forEach((key, index) => map.set(key, index));
    keys.forEach((key, index) => expect(map.get(key)).toBe(index));
    expect(map.has('😁@x.fr')).toBe(false);
  });

  it('holds a row number packed with its flags exactly', () => {
    const map = new OffHeapStringMap();
    const packed = 1_048_576 * 128 + 7 * 16 + 5 * 2 + 1;
    map.set('row@x.fr', packed);
    expect(map.get('row@x.fr')).toBe(packed);
  });
});
