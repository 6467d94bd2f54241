import { prefixRange, toTextArrayLiteral } from './prefix-range';

const compareBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const inRange = (text: string, range: { from: string; to: string }) =>
  compareBytes(text, range.from) >= 0 && compareBytes(text, range.to) < 0;

describe('prefixRange', () => {
  it('holds exactly the strings that begin with the prefix, byte-wise', () => {
    const range = prefixRange('mart');
    expect(range).toEqual({ from: 'mart', to: 'maru' });
    for (const text of ['mart', 'martin', 'mart\u{10ffff}', 'martz']) expect(inRange(text, range)).toBe(true);
    for (const text of ['mar', 'marsz', 'maru', 'marta'.slice(0, 3), 'mbrt', 'ma'])
      expect(inRange(text, range)).toBe(false);
  });

  it('raises non-ASCII code points and skips the surrogates', () => {
    expect(prefixRange('é').to).toBe('ê');
    expect(prefixRange('a\ud7ff').to).toBe('a\ue000');
    expect(inRange('a\ud7ffz', prefixRange('a\ud7ff'))).toBe(true);
  });

  it('drops trailing maximal code points before raising', () => {
    expect(prefixRange('a\u{10ffff}').to).toBe('b');
    expect(inRange('a\u{10ffff}x', prefixRange('a\u{10ffff}'))).toBe(true);
  });
});

describe('toTextArrayLiteral', () => {
  it('quotes every element and escapes quotes and backslashes', () => {
    expect(toTextArrayLiteral(['a', 'b c', 'd"e', 'f\\g'])).toBe('{"a","b c","d\\"e","f\\\\g"}');
    expect(toTextArrayLiteral([])).toBe('{}');
  });
});
