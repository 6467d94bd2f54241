import { withLuhnKey } from '../src/domain/luhn';
import { bearer, type TestApp } from './harness';
import {
  INTROSPECTION_CLIENT,
  JWT_RESOURCE,
  startOpenIdProvider,
  type AccountClaims,
  type TestOpenIdProvider,
} from './openid-provider';

/**
 * `BALISE_TEST_CALLERS=people` runs the security matrices (`scoping-matrix.ts`) with people signed
 * in through a real OpenID Connect provider in place of admin and reader API keys: the same
 * scoping answers are expected of both (`npm run test:people`, run by CI).
 */
export const securityTestsCallAsPeople = process.env.BALISE_TEST_CALLERS === 'people';

export interface PeopleProvider {
  provider: TestOpenIdProvider;
  /** The environment that makes Balise trust this provider. */
  environment: NodeJS.ProcessEnv;
  /** Gives a new person `role` on the structure and answers their access token. */
  personWithRole(test: TestApp, structureId: string, role: 'admin' | 'reader'): Promise<string>;
}

let people = 0;

export async function startPeopleProvider(): Promise<PeopleProvider> {
  const accounts = new Map<string, AccountClaims>();
  const provider = await startOpenIdProvider(accounts);
  return {
    provider,
    environment: {
      BALISE_OIDC_PROVIDERS: JSON.stringify([
        {
          issuer: provider.issuer,
          audience: JWT_RESOURCE,
          nationalIdClaim: 'preferred_username',
          minimumAcr: 'eidas1',
          introspection: INTROSPECTION_CLIENT,
        },
      ]),
    },
    personWithRole: async (test, structureId, role) => {
      people += 1;
      const nationalId = `8${withLuhnKey(`10${String(process.pid % 1000).padStart(3, '0')}${String(people).padStart(5, '0')}`)}`;
      accounts.set(nationalId, { preferred_username: nationalId, acr: 'eidas1' });
      await test.http
        .post(`/v1/structures/${structureId}/administrators`)
        .set(bearer(test.operatorKey))
        .send({ nationalId, role })
        .expect(201);
      return provider.signIn(nationalId);
    },
  };
}
