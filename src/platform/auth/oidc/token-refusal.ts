import { AppError } from '../../../domain/errors/error-catalogue';

/** A refusal by authentication that tells the client, in `WWW-Authenticate`, what to do about it. */
export class BearerRefusal extends AppError {
  constructor(
    code: 'UNAUTHENTICATED' | 'INSUFFICIENT_AUTHENTICATION',
    detail: string,
    readonly bearerError: 'invalid_token' | 'insufficient_user_authentication',
    readonly acrValues?: string,
  ) {
    super(code, detail);
  }
}

/**
 * A bearer token refused (RFC 6750 §3.1): 401 `invalid_token` with why, in words that hold no
 * claim value (the description is echoed in `WWW-Authenticate` and may reach logs).
 */
export const invalidToken = (description: string) => new BearerRefusal('UNAUTHENTICATED', description, 'invalid_token');

/** A valid token whose sign-in was too weak for Balise (RFC 9470): 403, and which `acr` to ask for. */
export const insufficientAuthentication = (minimumAcr: string) =>
  new BearerRefusal(
    'INSUFFICIENT_AUTHENTICATION',
    `Sign in again at authentication level ${minimumAcr} or above`,
    'insufficient_user_authentication',
    minimumAcr,
  );

/**
 * The `WWW-Authenticate` challenge that goes with a refusal from authentication: every 401 (RFC
 * 6750 §3), and the 403 of a too-weak sign-in (RFC 9470 §3). Quotes and backslashes are escaped.
 */
export function bearerChallengeOf(error: AppError): string | undefined {
  const refusal = error instanceof BearerRefusal ? error : undefined;
  if (error.status !== 401 && !refusal) return undefined;
  const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;
  const parameters = ['realm="balise"'];
  if (refusal) parameters.push(`error=${quoted(refusal.bearerError)}`, `error_description=${quoted(refusal.detail)}`);
  if (refusal?.acrValues) parameters.push(`acr_values=${quoted(refusal.acrValues)}`);
  return `Bearer ${parameters.join(', ')}`;
}
