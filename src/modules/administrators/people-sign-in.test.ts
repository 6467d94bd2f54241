import { randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { createStructure, validRpps } from '../../../test/factories';
import { createTestApp, type TestApp } from '../../../test/harness';
import {
  INTROSPECTION_CLIENT,
  JWT_RESOURCE,
  startOpenIdProvider,
  type AccountClaims,
  type TestOpenIdProvider,
} from '../../../test/openid-provider';

/**
 * People sign in with a real OpenID Connect provider (oidc-provider on a local port, authorization
 * code with PKCE, as a front-end does) and call Balise over HTTP with the access token.
 */
describe('people signed in with OpenID Connect', () => {
  const clock = new ManualClock(new Date());
  const alice = `8${validRpps()}`;
  const bob = `8${validRpps()}`;
  const stranger = `8${validRpps()}`;
  const accounts = new Map<string, AccountClaims>([
    ['alice', { preferred_username: alice, acr: 'eidas1' }],
    ['bob', { preferred_username: bob, acr: 'eidas2' }],
    ['stranger', { preferred_username: stranger, acr: 'eidas1' }],
    ['weak', { preferred_username: alice, acr: 'eidas0' }],
    ['early', { preferred_username: alice, acr: 'eidas1', nbf: Math.floor(Date.now() / 1000) + 3600 }],
    ['claire', { email: 'Claire.Martin@hopital.example.fr', acr: 'eidas1' }],
  ]);
  let provider: TestOpenIdProvider;
  let elsewhere: TestOpenIdProvider;
  let test: TestApp;
  let structureA: string;
  let structureB: string;
  let aliceId: string;
  const asOperator = () => `Bearer ${test.operatorKey}`;

  beforeAll(async () => {
    provider = await startOpenIdProvider(accounts);
    elsewhere = await startOpenIdProvider(accounts);
    test = await createTestApp({
      clock,
      environment: {
        BALISE_OIDC_PROVIDERS: JSON.stringify([
          {
            issuer: provider.issuer,
            audience: JWT_RESOURCE,
            nationalIdClaim: 'preferred_username',
            emailClaim: 'email',
            minimumAcr: 'eidas1',
            introspection: INTROSPECTION_CLIENT,
          },
        ]),
        BALISE_OIDC_JWKS_COOLDOWN_SECONDS: '0',
        BALISE_OIDC_CLOCK_TOLERANCE_SECONDS: '5',
      },
    });
    structureA = (await createStructure(test)).id;
    structureB = (await createStructure(test)).id;
    const added = await test.http
      .post(`/v1/structures/${structureA}/administrators`)
      .set('authorization', asOperator())
      .send({ nationalId: alice, role: 'admin' })
      .expect(201);
    aliceId = added.body.id;
    await test.http
      .post(`/v1/structures/${structureA}/administrators`)
      .set('authorization', asOperator())
      .send({ nationalId: bob, role: 'reader' })
      .expect(201);
  });
  afterAll(async () => {
    await test?.close();
    await provider?.close();
    await elsewhere?.close();
  });

  it('lets a person see the structures they administer and no other', async () => {
    const token = await provider.signIn('alice');
    const listed = await test.http.get('/v1/structures').set('authorization', `Bearer ${token}`).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([structureA]);
    await test.http.get(`/v1/structures/${structureB}`).set('authorization', `Bearer ${token}`).expect(404);
    const me = await test.http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual({
      kind: 'person',
      id: aliceId,
      role: 'admin',
      structures: [{ structureId: structureA, role: 'admin' }],
    });
  });

  it('lets an admin add people to their own structure only, audited and published under their name', async () => {
    const token = await provider.signIn('alice');
    const added = await test.http
      .post(`/v1/structures/${structureA}/administrators`)
      .set('authorization', `Bearer ${token}`)
      .send({ email: 'claire.martin@hopital.example.fr', role: 'reader' })
      .expect(201);
    await test.http
      .post(`/v1/structures/${structureB}/administrators`)
      .set('authorization', `Bearer ${token}`)
      .send({ nationalId: stranger, role: 'admin' })
      .expect(404);
    await test.http
      .post('/v1/operators')
      .set('authorization', `Bearer ${token}`)
      .send({ nationalId: stranger })
      .expect(403);
    const recorded = await selectRows<{ actor_type: string; actor_id: string; type: string }>(
      test.database.db,
      sql`select e.actor_type, e.actor_id, e.type from events e where e.subject_id = ${added.body.id}`,
    );
    expect(recorded).toEqual([{ actor_type: 'person', actor_id: alice, type: 'administrator.added' }]);
    const claire = await provider.signIn('claire');
    const me = await test.http.get('/v1/me').set('authorization', `Bearer ${claire}`).expect(200);
    expect(me.body.structures).toEqual([{ structureId: structureA, role: 'reader' }]);
  });

  it('lets a reader read and not write', async () => {
    const token = await provider.signIn('bob');
    await test.http.get(`/v1/structures/${structureA}`).set('authorization', `Bearer ${token}`).expect(200);
    await test.http
      .post(`/v1/structures/${structureA}/administrators`)
      .set('authorization', `Bearer ${token}`)
      .send({ nationalId: stranger, role: 'reader' })
      .expect(403);
  });

  it('accepts opaque tokens by introspection', async () => {
    const token = await provider.signIn('alice', { opaque: true });
    expect(token.split('.')).toHaveLength(1);
    const me = await test.http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body.id).toBe(aliceId);
  });

  it('refuses an opaque token no provider knows, asking the provider once per cache period', async () => {
    const unknown = randomBytes(32).toString('base64url');
    const introspections = () => provider.requestsTo('/token/introspection');
    const before = introspections();
    for (let attempt = 0; attempt < 3; attempt += 1)
      await test.http.get('/v1/me').set('authorization', `Bearer ${unknown}`).expect(401);
    expect(introspections()).toBe(before + 1);
    clock.set(new Date(Date.now() + 61_000)); // past BALISE_OIDC_INTROSPECTION_CACHE_SECONDS (60)
    try {
      await test.http.get('/v1/me').set('authorization', `Bearer ${unknown}`).expect(401);
      expect(introspections()).toBe(before + 2);
    } finally {
      clock.set(new Date());
    }
  });

  it('follows a key rotation at the provider without a restart', async () => {
    await provider.rotateKeys();
    const token = await provider.signIn('alice');
    await test.http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
  });

  it.each([
    ['another audience', async () => provider.signIn('alice', { resource: 'https://elsewhere.test/api' })],
    ['another issuer', async () => elsewhere.signIn('alice')],
    ['a token not valid yet', async () => provider.signIn('early')],
    ['a key the provider does not publish', async () => forgedToken(provider.issuer)],
    ['alg none', async () => unsignedToken(provider.issuer)],
  ])('refuses %s with 401 and WWW-Authenticate', async (_case, tokenOf) => {
    const response = await test.http
      .get('/v1/me')
      .set('authorization', `Bearer ${await tokenOf()}`)
      .expect(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="balise", error="invalid_token", error_description="/,
    );
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token', async () => {
    const token = await provider.signIn('alice');
    clock.set(new Date(Date.now() + 2 * 3600_000));
    try {
      const response = await test.http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(401);
      expect(response.headers['www-authenticate']).toContain('error_description="The access token has expired"');
    } finally {
      clock.set(new Date());
    }
  });

  it('asks for a stronger sign-in when acr is too low, and refuses people who administer nothing', async () => {
    const weak = await test.http
      .get('/v1/me')
      .set('authorization', `Bearer ${await provider.signIn('weak')}`)
      .expect(403);
    expect(weak.body.code).toBe('INSUFFICIENT_AUTHENTICATION');
    expect(weak.headers['www-authenticate']).toMatch(/error="insufficient_user_authentication".*acr_values="eidas1"/);
    const stranger = await test.http
      .get('/v1/me')
      .set('authorization', `Bearer ${await provider.signIn('stranger')}`)
      .expect(403);
    expect(stranger.body.code).toBe('FORBIDDEN');
    const anonymous = await test.http.get('/v1/me').expect(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="balise"');
  });

  it('refuses a removed administrator on the next request, whatever the token says', async () => {
    const token = await provider.signIn('bob');
    await test.http.get(`/v1/structures/${structureA}`).set('authorization', `Bearer ${token}`).expect(200);
    const bobId = (await test.http.get('/v1/me').set('authorization', `Bearer ${token}`)).body.id;
    await test.http
      .delete(`/v1/structures/${structureA}/administrators/${bobId}`)
      .set('authorization', asOperator())
      .expect(204);
    await test.http.get(`/v1/structures/${structureA}`).set('authorization', `Bearer ${token}`).expect(403);
  });
});

/** A JWT claiming the provider as issuer, signed with a key it never published. */
async function forgedToken(issuer: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ preferred_username: '8' + validRpps(), acr: 'eidas1' })
    .setProtectedHeader({ alg: 'RS256', kid: randomBytes(8).toString('hex') })
    .setIssuer(issuer)
    .setAudience(JWT_RESOURCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

/** An unsecured JWT (`alg: none`): no signature at all. */
function unsignedToken(issuer: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: issuer, aud: JWT_RESOURCE, exp: now + 300, preferred_username: '8' + validRpps() })}.`;
}
