import { checkLocalPart, isMssanteDomain, isWellFormedEmail } from './mssante-address';

describe('isWellFormedEmail', () => {
  it.each(['jeanne.martin@chu-sud.fr', 'J.Martin+mss@Hopital.example.org', 'contact@ies-sud.mssante.fr'])(
    'accepts %s',
    (email) => {
      expect(isWellFormedEmail(email)).toBe(true);
    },
  );

  it.each([
    ['', 'an empty text'],
    ['jeanne.martin', 'no @'],
    ['@chu-sud.fr', 'no local part'],
    ['jeanne@', 'no domain'],
    ['jeanne@localhost', 'a domain without a dot'],
    ['jeanne@[192.168.0.1]', 'an IP literal'],
    ['jeanne..martin@chu-sud.fr', 'two dots in a row'],
    ['.jeanne@chu-sud.fr', 'a leading dot'],
    ['jeanne martin@chu-sud.fr', 'a space'],
    ['jeanne@chu_sud.fr', 'an underscore in the domain'],
    ['jeanne@-chu.fr', 'a label starting with a hyphen'],
    [`${'a'.repeat(65)}@chu-sud.fr`, 'a 65-character local part'],
    ['jeanne@chu-sud.f', 'a one-letter top-level domain'],
  ])('rejects %j (%s)', (email) => {
    expect(isWellFormedEmail(email)).toBe(false);
  });
});

describe('isMssanteDomain', () => {
  it.each(['ies-sud.mssante.fr', 'ch-ajaccio.medimail.mssante.fr'])('accepts %s', (domain) => {
    expect(isMssanteDomain(domain)).toBe(true);
  });

  it.each([
    ['mssante.fr', 'the national zone itself'],
    ['ies-sud.fr', 'another zone'],
    ['ies-sud.mssante.fr.example.com', 'mssante.fr not at the end'],
    ['iessudmssante.fr', 'no dot before mssante'],
    ['IES-SUD.mssante.fr', 'uppercase letters'],
    ['ies_sud.mssante.fr', 'an underscore'],
    ['-ies.mssante.fr', 'a label starting with a hyphen'],
    ['ies..mssante.fr', 'an empty label'],
    [`${'a'.repeat(64)}.mssante.fr`, 'a 64-character label'],
  ])('rejects %s (%s)', (domain) => {
    expect(isMssanteDomain(domain)).toBe(false);
  });
});

describe('checkLocalPart', () => {
  it.each(['jeanne.martin', 'secretariat-cardio', 'dr_dupont2', 'a', 'a'.repeat(64)])('accepts %s', (localPart) => {
    expect(checkLocalPart(localPart)).toBeNull();
  });

  it('requires a local part', () => {
    expect(checkLocalPart('')).toMatchObject({ field: 'localPart', code: 'LOCAL_PART_REQUIRED' });
  });

  it('refuses more than 64 characters', () => {
    expect(checkLocalPart('a'.repeat(65))).toMatchObject({ field: 'localPart', code: 'LOCAL_PART_TOO_LONG' });
  });

  it.each([
    ['Jeanne.Martin', 'uppercase letters'],
    ['jeanne+mss', 'a plus sign'],
    ['jeanne martin', 'a space'],
    ['jérôme', 'accented letters'],
    ['.jeanne', 'a leading dot'],
    ['jeanne.', 'a trailing dot'],
    ['jeanne..martin', 'two dots in a row'],
  ])('refuses %j (%s)', (localPart) => {
    expect(checkLocalPart(localPart)).toMatchObject({ field: 'localPart', code: 'LOCAL_PART_INVALID' });
  });
});
