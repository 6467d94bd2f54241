import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * A real OpenID Connect provider (panva's oidc-provider, OpenID-certified) on a local port, for the
 * tests that sign people in. Its accounts are the test's: each names the claims its tokens carry
 * (national identifier, e-mail, acr, nbf). Tokens for `JWT_RESOURCE` are JWTs signed by the
 * provider's current key, or opaque (for introspection) when signed in with `{ opaque: true }`.
 */
export const JWT_RESOURCE = 'https://balise.test/api';
export const INTROSPECTION_CLIENT = {
  clientId: 'balise-introspection',
  clientSecret: 'introspection-secret-0123456789',
};
const REDIRECT_URI = 'http://127.0.0.1/front-end/callback';

export type AccountClaims = Record<string, unknown>;

export interface TestOpenIdProvider {
  issuer: string;
  /** Signs in `accountId` with the authorization code flow and PKCE, as a front-end does; answers the access token. */
  signIn(accountId: string, options?: { resource?: string; opaque?: boolean }): Promise<string>;
  /** Replaces the provider's signing key (a rotation): tokens from now on carry a new `kid`. */
  rotateKeys(): Promise<void>;
  /** How many requests the provider has had on `path` (e.g. its introspection endpoint). */
  requestsTo(path: string): number;
  close(): Promise<void>;
}

async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

function configuration(accounts: Map<string, AccountClaims>, key: object): Configuration {
  return {
    clients: [
      {
        client_id: 'front-end',
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      // The same front-end given opaque tokens, which Balise can only introspect.
      {
        client_id: 'front-end-opaque',
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        client_id: INTROSPECTION_CLIENT.clientId,
        client_secret: INTROSPECTION_CLIENT.clientSecret,
        redirect_uris: [],
        grant_types: [],
        response_types: [],
      },
    ],
    jwks: { keys: [key] },
    scopes: ['openid', 'balise'],
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => JWT_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_context, resource, client) => ({
          scope: 'balise',
          audience: resource,
          accessTokenFormat: client.clientId === 'front-end-opaque' ? 'opaque' : 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    findAccount: (_context, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    // The claims an identity provider like Pro Santé Connect puts in its access tokens.
    extraTokenClaims: (_context, token) => {
      const accountId = (token as { accountId?: string }).accountId;
      return accountId ? accounts.get(accountId) : undefined;
    },
  };
}

export async function startOpenIdProvider(accounts: Map<string, AccountClaims>): Promise<TestOpenIdProvider> {
  // oidc-provider says, on every start, that its development defaults (memory store, login page) are on.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const server: Server = createServer();
  const requests = new Map<string, number>();
  server.on('request', (request) => {
    const path = new URL(request.url ?? '/', 'http://provider').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let handling: (request: IncomingMessage, response: ServerResponse) => void = () => undefined;
  const serve = async () => {
    const provider = new Provider(issuer, configuration(accounts, await signingKey()));
    server.removeListener('request', handling);
    const handle = provider.callback();
    handling = (request, response) => void handle(request, response);
    server.on('request', handling);
  };
  await serve();
  return {
    issuer,
    signIn: (accountId, options = {}) =>
      signIn(issuer, accountId, options.resource ?? JWT_RESOURCE, options.opaque ? 'front-end-opaque' : 'front-end'),
    rotateKeys: serve,
    requestsTo: (path) => requests.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The browser's part: follow redirects with cookies, log in and consent on the provider's own pages. */
async function signIn(issuer: string, accountId: string, resource: string, clientId: string): Promise<string> {
  const cookies = new Map<string, string>();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const send = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(new URL(url, issuer), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
    await response.arrayBuffer();
    return response.headers.get('location') ?? '';
  };
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid balise',
    resource,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }).toString();
  let location = await send(authorize.toString());
  const prompts = ['login', 'consent'];
  for (let step = 0; step < 10 && !location.startsWith(REDIRECT_URI); step += 1) {
    const interaction = /\/interaction\/([^/?]+)$/.exec(location);
    location = interaction
      ? await send(location, { prompt: prompts.shift()!, login: accountId })
      : await send(location);
  }
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`the provider did not answer a code: ${location}`);
  const token = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      code_verifier: verifier,
      resource,
    }).toString(),
  });
  const body = (await token.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the provider refused the code: ${JSON.stringify(body)}`);
  return body.access_token;
}
