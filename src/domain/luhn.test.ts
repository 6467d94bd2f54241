import { hasValidLuhnKey, withLuhnKey } from './luhn';

describe('hasValidLuhnKey', () => {
  it.each(['10000013994', '10006122583', '010000602', '35600000000048', '0'])('accepts %s', (digits) => {
    expect(hasValidLuhnKey(digits)).toBe(true);
  });

  it.each(['10000013995', '10003456789', '010000603', '1'])('rejects %s, whose key is wrong', (digits) => {
    expect(hasValidLuhnKey(digits)).toBe(false);
  });

  it.each(['', '1000001399A', ' 10000013994', '10000-13994'])('rejects %j, which is not plain digits', (text) => {
    expect(hasValidLuhnKey(text)).toBe(false);
  });
});

describe('withLuhnKey', () => {
  it.each(['1000001399', '01000060', '3560000000004'])('appends the key that makes %s pass', (digits) => {
    const keyed = withLuhnKey(digits);
    expect(keyed.slice(0, -1)).toBe(digits);
    expect(hasValidLuhnKey(keyed)).toBe(true);
    expect(hasValidLuhnKey(digits + String((Number(keyed.slice(-1)) + 1) % 10))).toBe(false);
  });
});
