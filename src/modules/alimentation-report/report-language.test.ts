import { languageOf } from './report-language';

describe('languageOf', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['fr-FR', 'fr'],
    ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ['en-GB,fr;q=0.5', 'en'],
    ['de-DE, fr;q=0.3', 'fr'],
    ['de', 'en'],
    ['en;q=0.2, fr;q=0.8', 'fr'],
    ['fr;q=0', 'en'],
    ['*', 'en'],
  ])('%s → %s', (header, expected) => {
    expect(languageOf(header)).toBe(expected);
  });
});
