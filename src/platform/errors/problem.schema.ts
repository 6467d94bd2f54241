import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode } from '../../domain/errors/error-catalogue';

export const ErrorDetailSchema = Type.Object({
  field: Type.Optional(Type.String({ description: 'Dotted path of the field at fault, e.g. `responsible.rpps`' })),
  row: Type.Optional(Type.Integer({ description: 'Spreadsheet row, header = 1' })),
  column: Type.Optional(Type.String({ description: 'Spreadsheet column letter, A … AH' })),
  code: Type.String(),
  message: Type.String(),
});

const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The catalogue as the contract shows it: one line per code, its status and what it means. */
const CATALOGUE_TABLE = ERROR_CODES.map(
  (code) => `- \`${code}\` (${ERROR_CATALOGUE[code].status}): ${ERROR_CATALOGUE[code].title}`,
).join('\n');

const errorCodeSchema = (codes: readonly ErrorCode[], description?: string) =>
  Type.Unsafe<ErrorCode>({ type: 'string', enum: [...codes], ...(description === undefined ? {} : { description }) });

/** RFC 9457 problem details, with our `code`, `requestId` and field-level `errors`. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri-reference' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: errorCodeSchema(
      ERROR_CODES,
      'Stable error code, one of the catalogue below; each operation lists, per status, the codes it can return.\n\n' +
        CATALOGUE_TABLE,
    ),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(ErrorDetailSchema)),
  },
  {
    $id: 'Problem',
    additionalProperties: true,
    description: 'RFC 9457 application/problem+json',
    examples: [
      {
        type: 'https://balise.dev/problems/business-rule-violated',
        title: 'A business rule forbids this request',
        status: 422,
        detail: 'The mailbox does not meet the rules of its type',
        instance: '/v1/mailboxes',
        code: 'BUSINESS_RULE_VIOLATED',
        requestId: 'c2b9e7a4-51f3-4d8e-9a6b-0f1e2d3c4b5a',
        errors: [
          {
            field: 'rpps',
            code: 'RPPS_KEY',
            message: 'The RPPS number fails its check digit; only test accounts may carry such a number.',
          },
        ],
      },
    ],
  },
);
export type Problem = Static<typeof ProblemSchema>;

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request, or one that does not match the schema',
  401: 'Missing or invalid API key',
  403: 'The role forbids the action',
  404: 'Unknown, or not visible to the caller',
  406: 'Accept allows none of the representations offered; `available` lists them',
  408: 'The request did not arrive whole in time',
  409: 'Conflict with the current state',
  410: 'No longer available',
  412: 'If-Match does not match the current ETag',
  413: 'Request body or upload too large',
  415: 'Unsupported content type or file',
  422: 'Business rule violated',
  428: 'If-Match is missing and BALISE_REQUIRE_IF_MATCH requires it',
  429: 'Too many requests: retry after `Retry-After` seconds',
  431: 'The request headers are too large',
  500: 'Unexpected failure: quote the `requestId` to the operator',
  503: 'The database is unavailable for a moment (restart, failover): retry after `Retry-After` seconds',
};

/**
 * The error response of one status: a `Problem` whose `code` is one of `codes`, so that a client
 * generated from the contract knows which codes it must handle there.
 */
function problemResponse(status: number, codes: readonly ErrorCode[]): TSchema {
  return Type.Intersect([Type.Ref(ProblemSchema), Type.Object({ code: errorCodeSchema(codes) })], {
    description: STATUS_DESCRIPTIONS[status] ?? ERROR_CATALOGUE[codes[0]!].title,
  });
}

/** The codes a response built by `problemResponse` lists (none for any other schema). */
export function problemCodesOf(schema: unknown): ErrorCode[] {
  const parts = (schema as { allOf?: { properties?: { code?: { enum?: ErrorCode[] } } }[] } | undefined)?.allOf;
  return parts?.[1]?.properties?.code?.enum ?? [];
}

/**
 * The error responses of an operation, from the codes it can return: one response per status,
 * whose `code` is narrowed to those codes. Routes list what their service throws; what any route
 * can meet (400, 401, 5xx, Idempotency-Key…) is added by the plugin that answers it
 * (`declareRouteProblems`).
 */
export function problems(...codes: ErrorCode[]): Record<number, TSchema> {
  return withProblems({}, codes) as Record<number, TSchema>;
}

/** `responses` with `codes` added to the error response of their status (made if missing). */
function withProblems(responses: Record<string, unknown>, codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOGUE[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? problemCodesOf(responses[status])), code]);
  }
  const added = [...byStatus].map(([status, listed]): [number, unknown] => {
    // Headers another plugin declared on this response stay declared.
    const headers = (responses[status] as { headers?: unknown } | undefined)?.headers;
    const response = problemResponse(status, sortedUnique(listed));
    return [status, headers === undefined ? response : { ...response, headers }];
  });
  return { ...responses, ...Object.fromEntries(added) };
}

const CATALOGUE_ORDER = new Map(ERROR_CODES.map((code, index) => [code, index]));
const sortedUnique = (codes: ErrorCode[]) =>
  [...new Set(codes)].sort((a, b) => CATALOGUE_ORDER.get(a)! - CATALOGUE_ORDER.get(b)!);

/** Adds `codes` to a route's error responses, from the `onRoute` hook of the plugin that answers them. */
export function declareRouteProblems(route: RouteOptions, ...codes: ErrorCode[]): void {
  const responses = route.schema?.response as Record<string, unknown> | undefined;
  if (!responses || codes.length === 0) return;
  route.schema = { ...route.schema, response: withProblems(responses, codes) };
}
