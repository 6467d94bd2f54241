import { ifNoneMatchMatches } from './etag';

describe('ifNoneMatchMatches (RFC 9110 §13.1.2)', () => {
  it('compares weakly, in a list, and takes * as any', () => {
    expect(ifNoneMatchMatches('"3"', '"3"')).toBe(true);
    expect(ifNoneMatchMatches('W/"3"', '"3"')).toBe(true);
    expect(ifNoneMatchMatches('"1", W/"3" ,"7"', '"3"')).toBe(true);
    expect(ifNoneMatchMatches(' * ', '"3"')).toBe(true);
  });

  it('matches nothing else', () => {
    expect(ifNoneMatchMatches(undefined, '"3"')).toBe(false);
    expect(ifNoneMatchMatches('', '"3"')).toBe(false);
    expect(ifNoneMatchMatches('"4"', '"3"')).toBe(false);
    expect(ifNoneMatchMatches('3', '"3"')).toBe(false);
    expect(ifNoneMatchMatches('"3,4"', '"3"')).toBe(false);
    expect(ifNoneMatchMatches('"33"', '"3"')).toBe(false);
  });
});
