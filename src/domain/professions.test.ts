import {
  isActiveProfession,
  isDeprecatedProfession,
  isDeprecatedProfessionCategory,
  isKnownProfession,
  isKnownProfessionCategory,
  professionHasNationalIdentifier,
  professionLabel,
} from './professions';

describe('TRE_G15 professions', () => {
  it('knows active codes', () => {
    expect(isKnownProfession('10')).toBe(true);
    expect(isActiveProfession('98')).toBe(true);
    expect(isDeprecatedProfession('10')).toBe(false);
  });

  it.each(['35', '36', '37', '38', '39', '93'])('knows %s as deprecated but storable', (code) => {
    expect(isDeprecatedProfession(code)).toBe(true);
    expect(isActiveProfession(code)).toBe(false);
    expect(isKnownProfession(code)).toBe(true);
  });

  it.each(['11', '99', '010', '', 'toString', '__proto__'])('does not know %j', (code) => {
    expect(isKnownProfession(code)).toBe(false);
    expect(professionLabel(code)).toBeNull();
  });

  it('gives French labels', () => {
    expect(professionLabel('10')).toBe('Médecin');
    expect(professionLabel('85')).toBe('Épithésiste');
    expect(professionLabel('93')).toBe('Psychologue');
  });

  it('expects a national identifier for every known profession and none for unknown codes', () => {
    expect(professionHasNationalIdentifier('60')).toBe(true);
    expect(professionHasNationalIdentifier('35')).toBe(true);
    expect(professionHasNationalIdentifier('99')).toBe(false);
  });
});

describe('TRE_R09 professional categories', () => {
  it.each(['C', 'E', 'M', 'F'])('knows %s', (code) => {
    expect(isKnownProfessionCategory(code)).toBe(true);
  });

  it.each(['X', 'c', ''])('does not know %j', (code) => {
    expect(isKnownProfessionCategory(code)).toBe(false);
  });

  it('marks F, and only F, as deprecated', () => {
    expect(isDeprecatedProfessionCategory('F')).toBe(true);
    expect(isDeprecatedProfessionCategory('C')).toBe(false);
  });
});
