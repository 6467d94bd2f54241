import { isSameName } from './compare-names';

describe('isSameName', () => {
  it('ignores case, accents and ligatures', () => {
    expect(isSameName('LEFÈVRE', 'Lefevre')).toBe(true);
    expect(isSameName('Hélène', 'HELENE')).toBe(true);
    expect(isSameName('CŒUR', 'coeur')).toBe(true);
  });

  it('treats the separators of compound names alike', () => {
    expect(isSameName('JEAN-PIERRE', 'jean pierre')).toBe(true);
    expect(isSameName("D'ARC", 'd’arc')).toBe(true);
    expect(isSameName(' Martin ', 'MARTIN')).toBe(true);
  });

  it('tells different names apart', () => {
    expect(isSameName('Martin', 'Martine')).toBe(false);
    expect(isSameName('Lefèvre', 'Lefebvre')).toBe(false);
  });
});
