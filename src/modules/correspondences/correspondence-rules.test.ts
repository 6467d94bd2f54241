import { resolveCorrespondence } from './correspondence-rules';

const DOMAINS = ['ies-sud.mssante.fr', 'ies-nord.mssante.fr'];

describe('resolveCorrespondence', () => {
  it('takes the first domain when none is given, and matches a given one case-insensitively', () => {
    expect(resolveCorrespondence('PER', { localPart: 'jean.dupont' }, DOMAINS).resolved).toEqual({
      localPart: 'jean.dupont',
      domain: 'ies-sud.mssante.fr',
      address: 'jean.dupont@ies-sud.mssante.fr',
    });
    expect(
      resolveCorrespondence('ORG', { localPart: 'contact', domain: ' IES-Nord.mssante.fr ' }, DOMAINS).resolved?.domain,
    ).toBe('ies-nord.mssante.fr');
    expect(resolveCorrespondence('APP', { localPart: 'noreply', domain: '' }, DOMAINS).resolved?.domain).toBe(
      'ies-sud.mssante.fr',
    );
  });

  it.each([
    ['MED', { localPart: 'jean' }, DOMAINS, ['type:CORRESPONDENCE_FORBIDDEN']],
    ['PER', { localPart: 'jean', domain: 'autre.mssante.fr' }, DOMAINS, ['domain:DOMAIN_NOT_OF_STRUCTURE']],
    ['PER', { localPart: 'jean' }, [], ['domain:DOMAIN_REQUIRED']],
    [
      'INT',
      { localPart: 'Jean', domain: 'x.mssante.fr' },
      DOMAINS,
      ['localPart:LOCAL_PART_INVALID', 'domain:DOMAIN_NOT_OF_STRUCTURE'],
    ],
    ['PER', { localPart: 'a'.repeat(64) }, ['d'.repeat(190) + '.mssante.fr'], ['localPart:ADDRESS_TOO_LONG']],
  ] as const)('refuses a %s box asking %j of %j', (type, requested, domains, expected) => {
    const { issues, resolved } = resolveCorrespondence(type, requested, domains);
    expect(resolved).toBeNull();
    expect(issues.map((issue) => `${issue.field}:${issue.code}`)).toEqual(expected);
  });
});
