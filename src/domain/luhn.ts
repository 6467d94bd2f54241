/**
 * The Luhn (mod 10) check used by RPPS, FINESS, SIREN and SIRET numbers.
 * The last digit is the key; every second digit from the right is doubled.
 */
export function hasValidLuhnKey(digits: string): boolean {
  // Anything but plain digits has no key to check; callers test the shape first.
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let position = 0; position < digits.length; position += 1) {
    const digit = Number(digits[digits.length - 1 - position]);
    const isDoubled = position % 2 === 1;
    sum += isDoubled ? doubleDigit(digit) : digit;
  }
  return sum % 10 === 0;
}

/** Doubling then summing the digits of the result (16 → 1 + 6) is the same as subtracting 9. */
function doubleDigit(digit: number): number {
  const doubled = digit * 2;
  return doubled > 9 ? doubled - 9 : doubled;
}

/** `digits` followed by the key that makes them pass `hasValidLuhnKey` (test data and benchmarks make numbers with it). */
export function withLuhnKey(digits: string): string {
  for (let key = 0; key <= 9; key += 1) {
    if (hasValidLuhnKey(digits + String(key))) return digits + String(key);
  }
  throw new Error(`${digits} is not a string of digits`);
}
