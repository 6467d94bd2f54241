import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Signature algorithms a provider may be allowed: asymmetric only (never `none`, never HS* with a public key). */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/**
 * One OpenID Connect provider whose access tokens Balise accepts (`BALISE_OIDC_PROVIDERS` is a JSON
 * array of these). Pro Santé Connect: `nationalIdClaim` `preferred_username` (the idNat, `8` + RPPS),
 * `minimumAcr` `eidas1`.
 */
const OidcProviderSchema = Type.Object(
  {
    /** The issuer URL, exactly as the provider's discovery document and tokens write it. */
    issuer: Type.String({ pattern: '^https?://' }),
    /** What the token's `aud` must contain (the resource indicator or client id the provider puts there). */
    audience: Type.String({ minLength: 1 }),
    /** The claim holding the national identifier (`8` + RPPS, or ADELI as the ANS writes it); absent: none. */
    nationalIdClaim: Type.Optional(Type.String({ minLength: 1 })),
    /** The claim holding the e-mail, for people without a national identifier; absent: none. */
    emailClaim: Type.Optional(Type.String({ minLength: 1 })),
    /** The lowest `acr` accepted (eIDAS levels are ordered; any other value must match exactly); absent: any. */
    minimumAcr: Type.Optional(Type.String({ minLength: 1 })),
    algorithms: Type.Optional(
      Type.Array(Type.Union(OIDC_ALGORITHMS.map((algorithm) => Type.Literal(algorithm))), { minItems: 1 }),
    ),
    /** Client credentials for RFC 7662 introspection of opaque tokens; absent: only JWT access tokens. */
    introspection: Type.Optional(
      Type.Object(
        { clientId: Type.String({ minLength: 1 }), clientSecret: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type OidcProviderConfig = Static<typeof OidcProviderSchema> & { algorithms: (typeof OIDC_ALGORITHMS)[number][] };

const OidcProvidersSchema = Type.Array(OidcProviderSchema);

/** Reads `BALISE_OIDC_PROVIDERS`; answers the reason when it is not a valid list (the caller names the variable). */
export function parseOidcProviders(text: string | undefined): OidcProviderConfig[] | string {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'must be a JSON array of providers';
  }
  const error = Value.Errors(OidcProvidersSchema, value).First();
  if (error) return `${error.path || '/'}: ${error.message}`;
  const providers = value as Static<typeof OidcProvidersSchema>;
  for (const provider of providers) {
    const url = new URL(provider.issuer);
    // Plain HTTP only for a provider on this machine (tests, a local mock); tokens travel to it otherwise.
    if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      return `${provider.issuer}: an issuer must be https (http only on localhost)`;
    }
    if (!provider.nationalIdClaim && !provider.emailClaim) {
      return `${provider.issuer}: name nationalIdClaim or emailClaim, or nobody can be recognised`;
    }
  }
  if (new Set(providers.map((provider) => provider.issuer)).size !== providers.length)
    return 'an issuer is listed twice';
  return providers.map((provider) => ({ ...provider, algorithms: provider.algorithms ?? ['RS256', 'PS256', 'ES256'] }));
}
