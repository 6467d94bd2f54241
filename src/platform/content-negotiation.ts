import Negotiator from 'negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors/error-catalogue';

/**
 * The representations a route offers: format name (its `format` query value) → the media type it
 * is sent as. The first is the default, answered when the client states no preference (no
 * `Accept`, or one that takes any type).
 */
export type Representations<F extends string> = Readonly<Record<F, string>>;

/**
 * Which representation to answer. An explicit `format` query parameter wins over `Accept`: it is
 * what an integrator wrote in the URL on purpose, whereas `Accept` is often set by a library
 * (RFC 9110 §12.1 lets a server disregard it). Otherwise `Accept` decides, q-values and
 * specificity honoured (negotiator, the parser Express and Koa use), ties going to the route's
 * order; an `Accept` that allows none of them is a 406 listing what is available. The answer
 * varies with `Accept` whatever was chosen, so a cache keys it on that header.
 */
export function negotiateRepresentation<F extends string>(
  request: FastifyRequest,
  reply: FastifyReply,
  offers: Representations<F>,
  explicitFormat: F | undefined,
): F {
  addVary(reply, 'Accept');
  if (explicitFormat !== undefined) return explicitFormat;
  const formats = Object.keys(offers) as F[];
  const mediaTypes = formats.map((format) => offers[format]);
  const [preferred] = new Negotiator(request).mediaTypes(mediaTypes);
  const chosen = formats.find((format) => offers[format] === preferred);
  if (chosen === undefined) {
    throw new AppError(
      'NOT_ACCEPTABLE',
      `Accept allows none of the representations of this resource: ask for one of ${mediaTypes.join(', ')}, or set \`format\` (${formats.join(', ')})`,
      undefined,
      { available: mediaTypes },
    );
  }
  return chosen;
}

/** Adds a header name to `Vary`, keeping those already there. */
export function addVary(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('vary');
  const names = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!names.some((name) => name.toLowerCase() === header.toLowerCase())) names.push(header);
  reply.header('vary', names.join(', '));
}
