import { acrSatisfies } from './acr';
import { IntrospectionCache } from './introspection-cache';

describe('acr floor', () => {
  it.each([
    ['eidas1', 'eidas1', true],
    ['eidas2', 'eidas1', true],
    ['eidas1', 'eidas2', false],
    ['eidas0', 'eidas1', false],
    ['http://eidas.europa.eu/LoA/high', 'http://eidas.europa.eu/LoA/substantial', true],
    ['http://eidas.europa.eu/LoA/low', 'http://eidas.europa.eu/LoA/substantial', false],
    ['urn:example:mfa', 'urn:example:mfa', true],
    ['urn:example:other', 'urn:example:mfa', false],
    [undefined, 'eidas1', false],
  ])('acr %s against a floor of %s: %s', (acr, minimum, expected) => {
    expect(acrSatisfies(acr, minimum)).toBe(expected);
  });
});

describe('introspection cache', () => {
  it('keeps an answer until its end, never past it, and forgets the oldest past its size', () => {
    const cache = new IntrospectionCache<string>(2);
    cache.set('a', 'A', 1_000, 0);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1_000)).toBeUndefined();
    cache.set('expired', 'E', 10, 10);
    expect(cache.get('expired', 0)).toBeUndefined();
    cache.set('b', 'B', 5_000, 0);
    cache.set('c', 'C', 5_000, 0);
    cache.set('d', 'D', 5_000, 0);
    expect([cache.get('b', 1), cache.get('c', 1), cache.get('d', 1)]).toEqual([undefined, 'C', 'D']);
    expect(IntrospectionCache.keyOf('token')).toMatch(/^[0-9a-f]{64}$/);
  });
});
