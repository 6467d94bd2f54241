/** The highest code point, and the UTF-16 surrogates, which no string holds on their own. */
const MAX_CODE_POINT = 0x10ffff;
const SURROGATES = { first: 0xd800, last: 0xdfff };

/**
 * The byte-wise range of the strings that begin with `prefix`: `from <= s < to`. UTF-8 orders
 * like code points, so `to` is the prefix with its last code point raised by one (a last code
 * point already at the maximum is dropped and the one before raised instead).
 */
export function prefixRange(prefix: string): { from: string; to: string } {
  const codePoints = [...prefix].map((char) => char.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < MAX_CODE_POINT) {
      const next = last + 1 === SURROGATES.first ? SURROGATES.last + 1 : last + 1;
      return { from: prefix, to: String.fromCodePoint(...codePoints, next) };
    }
  }
  // Only maximal code points: nothing sorts after their run but longer runs of them.
  return { from: prefix, to: prefix + String.fromCodePoint(MAX_CODE_POINT).repeat(8) };
}

/** A PostgreSQL array literal of texts, for one `$n::text[]` parameter whatever the count. */
export function toTextArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
