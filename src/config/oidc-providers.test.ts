import { loadConfig } from './config';
import { parseOidcProviders } from './oidc-providers';

const psc = {
  issuer: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
  audience: 'balise',
  nationalIdClaim: 'preferred_username',
  minimumAcr: 'eidas1',
};

describe('BALISE_OIDC_PROVIDERS', () => {
  it('reads a provider list, with asymmetric algorithms by default', () => {
    expect(parseOidcProviders(JSON.stringify([psc]))).toEqual([{ ...psc, algorithms: ['RS256', 'PS256', 'ES256'] }]);
    expect(parseOidcProviders(undefined)).toEqual([]);
  });

  it.each([
    ['not JSON', '{', 'JSON array'],
    ['an HS algorithm', JSON.stringify([{ ...psc, algorithms: ['HS256'] }]), '/0/algorithms/0'],
    ['alg none', JSON.stringify([{ ...psc, algorithms: ['none'] }]), '/0/algorithms/0'],
    ['plain http away from localhost', JSON.stringify([{ ...psc, issuer: 'http://idp.example' }]), 'https'],
    [
      'no claim to recognise anyone by',
      JSON.stringify([{ issuer: psc.issuer, audience: 'balise' }]),
      'nationalIdClaim',
    ],
    ['an issuer twice', JSON.stringify([psc, psc]), 'twice'],
    ['an unknown member', JSON.stringify([{ ...psc, audiance: 'typo' }]), '/0'],
  ])('refuses %s, naming the variable', (_case, value, reason) => {
    expect(() => loadConfig({ BALISE_OIDC_PROVIDERS: value })).toThrow(/BALISE_OIDC_PROVIDERS/);
    expect(parseOidcProviders(value)).toEqual(expect.stringContaining(reason));
  });

  it('caps the clock skew at a minute', () => {
    expect(() => loadConfig({ BALISE_OIDC_CLOCK_TOLERANCE_SECONDS: '61' })).toThrow(
      /BALISE_OIDC_CLOCK_TOLERANCE_SECONDS/,
    );
  });
});
