import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const ErrorDetailSchema = Type.Object({
  field: Type.Optional(Type.String({ description: 'Dotted path of the field at fault, e.g. `responsible.rpps`' })),
  row: Type.Optional(Type.Integer({ description: 'Spreadsheet row, header = 1' })),
  column: Type.Optional(Type.String({ description: 'Spreadsheet column letter, A … AH' })),
  code: Type.String(),
  message: Type.String(),
});

/** RFC 9457 problem details, with our `code`, `requestId` and field-level `errors`. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri-reference' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable error code, one of the catalogue' }),
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

const ProblemReference = Type.Ref(ProblemSchema);

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing or invalid API key',
  403: 'The role forbids the action',
  404: 'Unknown, or not visible to the caller',
  406: 'Accept allows none of the representations offered; `available` lists them',
  409: 'Conflict with the current state',
  410: 'No longer available',
  412: 'If-Match does not match the current ETag',
  413: 'Upload too large',
  415: 'Unsupported file',
  422: 'Business rule violated',
  428: 'If-Match is missing and BALISE_REQUIRE_IF_MATCH requires it',
  503: 'The database is unavailable for a moment (restart, failover): retry after `Retry-After` seconds',
};

/**
 * Response schemas for the error statuses a route documents (every route has 400 and 401, and
 * 503: any route may meet the database unavailable).
 */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  const all = [...new Set([400, 401, ...statuses, 503])];
  return Object.fromEntries(
    all.map((status) => [status, { ...ProblemReference, description: STATUS_DESCRIPTIONS[status] ?? 'Error' }]),
  );
}
