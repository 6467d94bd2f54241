import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import type { OidcConfig } from '../../../config/config';
import type { OidcProviderConfig } from '../../../config/oidc-providers';
import { AppError } from '../../../domain/errors/error-catalogue';
import type { Clock } from '../../../shared/clock';
import { acrSatisfies } from './acr';
import { IntrospectionCache } from './introspection-cache';
import { insufficientAuthentication, invalidToken } from './token-refusal';

/** Who a provider vouches the bearer is: what Balise looks its administrators up by. */
export interface TokenIdentity {
  readonly issuer: string;
  readonly nationalId: string | undefined;
  readonly email: string | undefined;
}

interface ProviderState {
  readonly config: OidcProviderConfig;
  /** Discovery, done on first use and again after a failure. */
  discovered?: Promise<{ configuration: client.Configuration; keys: ReturnType<typeof createRemoteJWKSet> }>;
}

/**
 * Checks the access tokens of the configured OpenID Connect providers: JWTs with jose (signature by
 * a key of the provider's JWKS, allowed algorithms, `iss`, `aud`, `exp`, `nbf`), opaque ones by
 * RFC 7662 introspection with openid-client; then the `acr` floor. Answers the identity, or throws
 * a 401 `invalid_token` / 403 `insufficient_user_authentication` (`token-refusal.ts`).
 */
export class OidcTokenVerifier {
  private readonly providers: ProviderState[];
  /** Identities, and `null` for tokens no provider knows: a client retrying a bad token does not make Balise ask again each time. */
  private readonly introspected = new IntrospectionCache<TokenIdentity | null>();

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
  ) {
    this.providers = config.providers.map((provider) => ({ config: provider }));
  }

  get introspects(): boolean {
    return this.providers.some((provider) => provider.config.introspection);
  }

  /** A JWS in compact form: three base64url parts, the first a header naming an algorithm. */
  isJwt(token: string): boolean {
    if (token.split('.').length !== 3) return false;
    try {
      return typeof decodeProtectedHeader(token).alg === 'string';
    } catch {
      return false;
    }
  }

  async verifyJwt(token: string): Promise<TokenIdentity> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalidToken('The access token is not a readable JWT');
    }
    const provider = this.providers.find((candidate) => candidate.config.issuer === issuer);
    if (!provider) throw invalidToken('The access token comes from an issuer Balise does not trust');
    const { keys } = await this.discover(provider);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: provider.config.issuer,
        audience: provider.config.audience,
        algorithms: provider.config.algorithms,
        clockTolerance: this.config.clockToleranceSeconds,
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw refusalOf(error);
    }
    return this.identityOf(provider.config, payload);
  }

  /** An opaque token: each provider that introspects is asked in turn until one knows it. */
  async introspect(token: string): Promise<TokenIdentity> {
    const key = IntrospectionCache.keyOf(token);
    const now = this.clock.now().getTime();
    const cached = this.introspected.get(key, now);
    if (cached === null) throw invalidToken('The access token is unknown, expired or revoked');
    if (cached) return cached;
    for (const provider of this.providers.filter((candidate) => candidate.config.introspection)) {
      const { configuration } = await this.discover(provider);
      let answer: client.IntrospectionResponse;
      try {
        answer = await client.tokenIntrospection(configuration, token);
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE', 'The sign-in provider could not be asked about this token');
      }
      if (!answer.active) continue;
      const identity = this.identityOf(provider.config, this.checkIntrospected(provider.config, answer));
      const expiresAt = Math.min(answer.exp! * 1000, now + this.config.introspectionCacheSeconds * 1000);
      this.introspected.set(key, identity, expiresAt, now);
      return identity;
    }
    this.introspected.set(key, null, now + this.config.introspectionCacheSeconds * 1000, now);
    throw invalidToken('The access token is unknown, expired or revoked');
  }

  /** RFC 7662 says what `active` means; the audience and expiry are still Balise's to check. */
  private checkIntrospected(provider: OidcProviderConfig, answer: client.IntrospectionResponse): JWTPayload {
    const now = this.clock.now().getTime() / 1000;
    const audiences = typeof answer.aud === 'string' ? [answer.aud] : (answer.aud ?? []);
    if (!audiences.includes(provider.audience)) throw invalidToken('The access token is not meant for Balise');
    if (answer.iss !== undefined && answer.iss !== provider.issuer) {
      throw invalidToken('The access token comes from an issuer Balise does not trust');
    }
    if (typeof answer.exp !== 'number' || answer.exp + this.config.clockToleranceSeconds <= now) {
      throw invalidToken('The access token has expired');
    }
    return answer;
  }

  private identityOf(provider: OidcProviderConfig, claims: JWTPayload): TokenIdentity {
    if (provider.minimumAcr !== undefined && !acrSatisfies(claims.acr, provider.minimumAcr)) {
      throw insufficientAuthentication(provider.minimumAcr);
    }
    const text = (claim: string | undefined) => {
      const value = claim === undefined ? undefined : claims[claim];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const identity = {
      issuer: provider.issuer,
      nationalId: text(provider.nationalIdClaim),
      email: text(provider.emailClaim)?.toLowerCase(),
    };
    if (!identity.nationalId && !identity.email) {
      throw invalidToken('The access token names nobody: it carries neither a national identifier nor an e-mail');
    }
    return identity;
  }

  private discover(provider: ProviderState) {
    provider.discovered ??= discoverProvider(provider.config, this.config).catch((error: unknown) => {
      provider.discovered = undefined;
      throw error;
    });
    return provider.discovered;
  }
}

async function discoverProvider(provider: OidcProviderConfig, settings: OidcConfig) {
  const url = new URL(provider.issuer);
  const introspection = provider.introspection;
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(
      url,
      introspection?.clientId ?? provider.audience,
      undefined,
      introspection ? client.ClientSecretBasic(introspection.clientSecret) : client.None(),
      // http is accepted for a provider on this machine only (config/oidc-providers.ts).
      url.protocol === 'http:' ? { execute: [client.allowInsecureRequests], timeout: 5 } : { timeout: 5 },
    );
  } catch {
    throw new AppError('SERVICE_UNAVAILABLE', 'The sign-in provider cannot be reached');
  }
  const jwksUri = configuration.serverMetadata().jwks_uri;
  if (!jwksUri) throw new AppError('SERVICE_UNAVAILABLE', 'The sign-in provider publishes no keys');
  // jose keeps the key set, and fetches it again for a `kid` it does not know, at most once per cooldown.
  const keys = createRemoteJWKSet(new URL(jwksUri), {
    cooldownDuration: settings.jwksCooldownSeconds * 1000,
    timeoutDuration: 5000,
  });
  return { configuration, keys };
}

/** jose's reasons, in words for the client; what is the provider's fault is a 503, not the token's. */
function refusalOf(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) return invalidToken('The access token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return invalidToken('The access token is not valid yet');
    if (error.claim === 'aud') return invalidToken('The access token is not meant for Balise');
    if (error.claim === 'iss') return invalidToken('The access token comes from an issuer Balise does not trust');
    return invalidToken(`The access token's ${error.claim} claim is not acceptable`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return invalidToken('The access token is signed with an algorithm Balise does not accept');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalidToken('The access token is signed with a key the provider does not publish');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return invalidToken('The access token signature is wrong');
  if (error instanceof errors.JWKSTimeout || error instanceof TypeError) {
    return new AppError('SERVICE_UNAVAILABLE', "The sign-in provider's keys cannot be fetched");
  }
  if (error instanceof errors.JOSEError) return invalidToken('The access token is not valid');
  return new AppError('SERVICE_UNAVAILABLE', 'The access token could not be checked');
}
