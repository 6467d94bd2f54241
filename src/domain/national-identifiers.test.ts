import {
  isValidAdeli,
  isValidFiness,
  isValidRpps,
  isValidSiren,
  isValidSiret,
  isWellFormedRpps,
  LA_POSTE_HEAD_OFFICE_SIRET,
} from './national-identifiers';

describe('isValidRpps', () => {
  it.each(['10000013994', '10006122583', '10000001916'])('accepts %s', (rpps) => {
    expect(isValidRpps(rpps)).toBe(true);
  });

  it.each([
    ['10000013995', 'a wrong key'],
    ['10003456789', 'the ANS fictitious example, which fails its key'],
    ['1000001399', '10 digits'],
    ['810000013994', 'the 12-character idNatPS instead of the RPPS'],
    ['1000001399A', 'a letter'],
  ])('rejects %s (%s)', (rpps) => {
    expect(isValidRpps(rpps)).toBe(false);
  });
});

describe('isWellFormedRpps', () => {
  it('accepts 11 digits even when the key is wrong', () => {
    expect(isWellFormedRpps('10003456789')).toBe(true);
  });

  it.each(['1000001399', '100000139940', '1000001399A', ''])('rejects %j', (rpps) => {
    expect(isWellFormedRpps(rpps)).toBe(false);
  });
});

describe('isValidAdeli', () => {
  it('accepts 9 digits', () => {
    expect(isValidAdeli('751234567')).toBe(true);
  });

  it.each(['75123456', '7512345678', '75123456B'])('rejects %s', (adeli) => {
    expect(isValidAdeli(adeli)).toBe(false);
  });
});

describe('isValidFiness', () => {
  it('accepts an all-digit number with a right Luhn key', () => {
    expect(isValidFiness('010000602')).toBe(true);
  });

  it('rejects an all-digit number with a wrong Luhn key', () => {
    expect(isValidFiness('010000603')).toBe(false);
  });

  it.each(['2A0000123', '2B0000456'])('accepts the Corsican %s on its shape alone', (finess) => {
    expect(isValidFiness(finess)).toBe(true);
  });

  it.each([
    ['2C0000123', 'a letter that is no Corsican département'],
    ['012A00006', '2A outside the département position'],
    ['2a0000123', 'a lowercase département'],
    ['01000060', '8 characters'],
  ])('rejects %s (%s)', (finess) => {
    expect(isValidFiness(finess)).toBe(false);
  });
});

describe('isValidSiren', () => {
  it.each(['732829320', '356000000'])('accepts %s', (siren) => {
    expect(isValidSiren(siren)).toBe(true);
  });

  it.each(['732829321', '73282932', '73282932A'])('rejects %s', (siren) => {
    expect(isValidSiren(siren)).toBe(false);
  });
});

describe('isValidSiret', () => {
  it('accepts an ordinary SIRET with a right Luhn key', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
  });

  it('rejects an ordinary SIRET with a wrong Luhn key', () => {
    expect(isValidSiret('73282932000075')).toBe(false);
  });

  it.each(['7328293200007', '732829320000745', '7328293200007A'])('rejects %s, not 14 digits', (siret) => {
    expect(isValidSiret(siret)).toBe(false);
  });

  it('accepts La Poste head office, which follows the plain Luhn rule', () => {
    expect(isValidSiret(LA_POSTE_HEAD_OFFICE_SIRET)).toBe(true);
  });

  it('accepts a La Poste establishment whose digit sum is a multiple of 5, though it fails Luhn', () => {
    // 3+5+6+4+9+8+3+7 = 45; the Luhn sum is 52.
    expect(isValidSiret('35600000049837')).toBe(true);
  });

  it('rejects a La Poste establishment whose digit sum is not a multiple of 5', () => {
    expect(isValidSiret('35600000049836')).toBe(false);
  });

  it('rejects a La Poste establishment that passes Luhn but not the digit sum', () => {
    // Luhn sum 20, digit sum 18: La Poste's own rule decides, not Luhn.
    expect(isValidSiret('35600000010013')).toBe(false);
  });
});
