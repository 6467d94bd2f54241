import fp from 'fastify-plugin';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { AppError, type ErrorCode } from '../../domain/errors/error-catalogue';
import { declareRouteProblems } from '../errors/problem.schema';
import { apiKeyCaller, personCaller, type Caller } from './caller';
import type { AdministratorStore } from './administrator-store';
import type { TokenIdentity } from './oidc/oidc-token-verifier';
import { bearerChallengeOf, invalidToken } from './oidc/token-refusal';
import { declareRouteHeaders } from '../openapi/response-headers';
import { assertCanWrite, assertOperator, assertStructureAccess } from './authorization';
import type { ApiKeyStore } from './api-key-store';
import { ApiKeyCache } from './api-key-cache';
import { listenForRevocations } from './revocation-listener';

/** What a route needs, declared in its `config.access`; `public` routes skip authentication. */
export type RouteAccess = 'public' | 'read' | 'write' | 'operator';

/**
 * The resources structure resolvers load, by parameter name. A module whose resolver keeps what
 * it loaded adds its entry here (declaration merging), so handlers read it typed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ScopedResources {}

type ResourceOf<P extends string> = P extends keyof ScopedResources ? ScopedResources[P] : never;

/**
 * Finds the structure a path parameter's resource belongs to (undefined: no such resource).
 * It may hand back the resource it loaded, so the handler does not read it a second time.
 */
export type StructureResolver<P extends string = string> = (
  id: string,
) => Promise<{ structureId: string; resource?: ResourceOf<P> } | undefined>;

/** Fields of a body or query that name a structure, and what a refusal calls it. */
const SCOPED_FIELDS = { structureId: 'Structure' } as const;
export type ScopedField = keyof typeof SCOPED_FIELDS;

/**
 * Ids a route takes besides its path that must be in the caller's scope (`config.scope`): checked
 * by the same hook and the same rule as path ids (invisible is 404, read-only is 403), when sent.
 */
export interface RouteScope {
  body?: ScopedField;
  query?: ScopedField;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    scope?: RouteScope;
  }
  interface FastifyRequest {
    caller: Caller | null;
    /** Resources loaded while checking scope, by path parameter name. */
    scopedResources: Map<string, unknown> | null;
  }
  interface FastifyInstance {
    /** Keys recently authenticated by this process (see api-key-cache.ts). */
    apiKeyCache: ApiKeyCache;
    /** Modules declare how their path ids map to a structure, so scoping is checked in one hook. */
    registerStructureResolver<P extends string>(parameter: P, resolver: StructureResolver<P>): void;
  }
}

/**
 * The resource the structure resolver of a path parameter loaded for this request. Only for
 * routes that have that parameter: anything else is a mistake in the route, not in the request.
 */
export function scopedResource<P extends keyof ScopedResources>(
  request: FastifyRequest,
  parameter: P,
): ScopedResources[P] {
  const resource = request.scopedResources?.get(parameter);
  if (resource === undefined)
    throw new Error(`No resource was loaded for the path parameter ${parameter} of this route`);
  return resource as ScopedResources[P];
}

/** The authenticated caller, for handlers of non-public routes. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('UNAUTHENTICATED', 'This route needs an API key or an access token');
  return request.caller;
}

/**
 * Authentication (Bearer API key, or a person's OpenID Connect access token) and route-level
 * authorisation, for every route at once: the role a route needs, and access to the structure
 * behind any scoped path parameter. Keys and people both become a `Caller`; nothing after this
 * hook knows which.
 */
export interface AuthenticationOptions {
  /** Where the keys are (the api-keys module's store, wired by app.ts). */
  apiKeys: ApiKeyStore;
  /** Where the people are (the administrators module's store, wired by app.ts). */
  administrators: AdministratorStore;
}

export const authenticationPlugin = fp<AuthenticationOptions>(
  async (app, { apiKeys, administrators }) => {
    // jose and openid-client are loaded only where a provider is configured (3 MB less in an idle process without).
    const tokens =
      app.config.auth.oidc.providers.length > 0
        ? new (await import('./oidc/oidc-token-verifier')).OidcTokenVerifier(app.config.auth.oidc, app.clock)
        : undefined;
    const resolvers = new Map<string, StructureResolver>([['structureId', async (id) => ({ structureId: id })]]);
    app.decorate('registerStructureResolver', <P extends string>(parameter: P, resolver: StructureResolver<P>) => {
      resolvers.set(parameter, resolver);
    });
    const keyCache = new ApiKeyCache(app.config.auth.apiKeyCacheSeconds * 1000);
    app.decorate('apiKeyCache', keyCache);
    if (app.config.auth.apiKeyCacheSeconds > 0) {
      const stopListening = await listenForRevocations(app.database, keyCache, app.log, apiKeys.revocationChannel);
      app.addHook('onClose', async () => stopListening());
    }
    app.decorateRequest('caller', null);
    app.decorateRequest('scopedResources', null);

    app.addHook('onRoute', (route) => {
      declareRouteProblems(route, ...refusedByAccessRules(route));
      if (route.config?.access === 'public') return;
      // Every 401 says how to authenticate (RFC 6750 §3); a 403 may ask for a stronger sign-in (RFC 9470).
      declareRouteHeaders(route, (status) => status === 401 || status === 403, 'WWW-Authenticate');
    });

    /** The person a provider vouches for, with the roles Balise gives them now (never cached). */
    async function personOf(identity: TokenIdentity): Promise<Caller> {
      const person = await administrators.findByIdentity(app.db, {
        nationalId: identity.nationalId,
        email: identity.email,
      });
      if (!person || (!person.isOperator && person.structures.length === 0)) {
        throw new AppError('FORBIDDEN', 'You are not an administrator of any structure');
      }
      return personCaller({ ...person, actorId: person.nationalId ?? person.email! });
    }

    async function callerOfSecret(secret: string): Promise<Caller> {
      if (tokens?.isJwt(secret)) return personOf(await tokens.verifyJwt(secret));
      const secretHash = apiKeys.hashSecret(secret);
      let key = keyCache.get(secretHash);
      if (!key) {
        key = await apiKeys.findActiveBySecretHash(app.db, secretHash);
        // Not a key: an opaque access token, when a provider can be asked about it.
        if (!key && tokens?.introspects) return personOf(await tokens.introspect(secret));
        if (!key) throw invalidToken('The API key or access token is unknown, expired or revoked');
        keyCache.set(secretHash, key);
      }
      return apiKeyCaller(key);
    }

    app.addHook('onRequest', async (request, reply) => {
      const access = routeAccessOf(request);
      if (access === 'public' || request.is404) return;
      try {
        const secret = bearerTokenOf(request.headers.authorization);
        if (!secret) {
          throw new AppError(
            'UNAUTHENTICATED',
            'Send an API key or an access token as `Authorization: Bearer <credential>`',
          );
        }
        request.caller = await callerOfSecret(secret);
        if (access === 'operator') assertOperator(request.caller);
        if (access === 'write') assertCanWrite(request.caller);
      } catch (error) {
        const challenge = error instanceof AppError ? bearerChallengeOf(error) : undefined;
        if (challenge) reply.header('www-authenticate', challenge);
        throw error;
      }
    });

    // After validation, so that ids are known to be well-formed UUIDs before they reach SQL.
    app.addHook('preHandler', async (request) => {
      const caller = request.caller;
      if (!caller) return;
      const access = routeAccessOf(request) === 'read' ? 'read' : 'write';
      const params = (request.params ?? {}) as Record<string, string>;
      for (const [parameter, value] of Object.entries(params)) {
        const resolve = resolvers.get(parameter);
        if (!resolve) continue;
        const resolved = await resolve(value);
        if (resolved === undefined) throw new AppError('NOT_FOUND', 'Resource not found');
        assertStructureAccess(caller, resolved.structureId, access);
        if (resolved.resource !== undefined) {
          request.scopedResources ??= new Map();
          request.scopedResources.set(parameter, resolved.resource);
        }
      }
      const scope = request.routeOptions.config.scope;
      if (!scope) return;
      for (const [fields, field] of [
        [request.body, scope.body],
        [request.query, scope.query],
      ] as const) {
        const value = field && (fields as Record<string, unknown> | undefined)?.[field];
        if (field === undefined || typeof value !== 'string') continue;
        const resolved = await resolvers.get(field)!(value);
        if (resolved === undefined) throw new AppError('NOT_FOUND', `${SCOPED_FIELDS[field]} not found`);
        assertStructureAccess(caller, resolved.structureId, access, SCOPED_FIELDS[field]);
      }
    });
  },
  { name: 'authentication', dependencies: ['database', 'errors'] },
);

/**
 * What the hooks below can refuse on a route: no credential (401), a role too low or a person who
 * administers nothing (403), a sign-in too weak (403), and a scoped id (path parameter or
 * `config.scope` field) that is unknown or in another structure (404). A provider that cannot be
 * reached is a 503, which the errors plugin declares everywhere.
 */
function refusedByAccessRules(route: RouteOptions): ErrorCode[] {
  const access = route.config?.access ?? 'read';
  if (access === 'public') return [];
  const codes: ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'INSUFFICIENT_AUTHENTICATION'];
  if (route.url.includes(':') || route.config?.scope) codes.push('NOT_FOUND');
  return codes;
}

/** Routes read by default; writes say so in their config. */
const routeAccessOf = (request: FastifyRequest): RouteAccess => request.routeOptions.config.access ?? 'read';

function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
