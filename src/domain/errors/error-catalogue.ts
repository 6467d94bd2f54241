/**
 * The closed list of error codes the API answers with, and their HTTP status: the only place
 * where a business failure meets HTTP. Services throw `AppError`s by code and never pick a status.
 */
export const ERROR_CATALOGUE = {
  BAD_REQUEST: { status: 400, title: 'The request is malformed' },
  VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  UNAUTHENTICATED: { status: 401, title: 'Missing or invalid credentials' },
  FORBIDDEN: { status: 403, title: 'Your role does not allow this action' },
  INSUFFICIENT_AUTHENTICATION: {
    status: 403,
    title: 'The sign-in was not strong enough: sign in again at the level WWW-Authenticate names',
  },
  NOT_FOUND: { status: 404, title: 'Resource not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this route' },
  NOT_ACCEPTABLE: { status: 406, title: 'None of the representations the Accept header allows is available' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  EMAIL_TAKEN: { status: 409, title: 'This e-mail address is already used' },
  DOMAIN_TAKEN: { status: 409, title: 'This MSSanté domain belongs to another structure' },
  ADDRESS_TAKEN: { status: 409, title: 'This MSSanté address already exists' },
  INVALID_TRANSITION: { status: 409, title: 'The current state forbids this action' },
  EMAIL_CHANGE_PENDING: { status: 409, title: 'The mailbox already has a pending change-of-mail request' },
  RESOURCE_IN_USE: { status: 409, title: 'The resource is still referenced' },
  ALREADY_LINKED: { status: 409, title: 'This box is already linked' },
  DEFAULT_TAKEN: { status: 409, title: 'This account already opens another box by default' },
  RETENTION_EXPIRED: {
    status: 409,
    title: 'The retention period is over: the deleted mailbox can no longer be restored',
  },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  IMPORT_FILE_DELETED: { status: 410, title: 'The uploaded file was deleted at the end of its retention period' },
  PRECONDITION_FAILED: { status: 412, title: 'The resource changed since you read it (If-Match)' },
  PRECONDITION_REQUIRED: { status: 428, title: 'This write needs If-Match with the ETag you read' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The upload is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content or file type' },
  BUSINESS_RULE_VIOLATED: { status: 422, title: 'A business rule forbids this request' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used with another request' },
  QUOTA_EXCEEDED: { status: 422, title: 'The structure has used all its addresses of this kind' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorDetail {
  field?: string;
  row?: number;
  column?: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: ErrorDetail[],
    /** Extra members of the problem document, e.g. the current state on an invalid transition. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export const businessRule = (detail: string, errors: ErrorDetail[]) =>
  new AppError('BUSINESS_RULE_VIOLATED', detail, errors);
