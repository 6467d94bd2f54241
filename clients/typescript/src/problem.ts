import type { components } from './generated/schema';

export type ProblemDocument = components['schemas']['Problem'];
export type ProblemCode = ProblemDocument['code'];
/** One field at fault, as the server names it (`field`) or, for an import row, its column. */
export type ProblemError = NonNullable<ProblemDocument['errors']>[number];

/** The code of an answer that came without a problem document (from a proxy, a load balancer). */
const FALLBACK_CODES: Partial<Record<number, ProblemCode>> = {
  404: 'ROUTE_NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  502: 'SERVICE_UNAVAILABLE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVICE_UNAVAILABLE',
};

/**
 * Every answer that is not a success, thrown as one error type: the RFC 9457 problem the server
 * sent (its `status`, stable `code`, `errors[]` and the `requestId` to quote to the operator).
 * An answer without a problem document (a proxy's 502 page) still becomes one, with the code its
 * status implies (FALLBACK_CODES, else `INTERNAL`) and the body's first characters as its detail.
 */
export class BaliseProblem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly detail: string;
  readonly errors: readonly ProblemError[];
  readonly requestId: string | undefined;
  readonly problem: ProblemDocument | undefined;

  constructor(status: number, problem: ProblemDocument | undefined, fallbackDetail = '', requestId?: string) {
    const detail = problem?.detail ?? fallbackDetail;
    super(`${status} ${problem?.code ?? 'HTTP_ERROR'}: ${detail}`);
    this.name = 'BaliseProblem';
    this.status = status;
    this.code = problem?.code ?? FALLBACK_CODES[status] ?? 'INTERNAL';
    this.title = problem?.title ?? `HTTP ${status}`;
    this.detail = detail;
    this.errors = problem?.errors ?? [];
    this.requestId = problem?.requestId ?? requestId;
    this.problem = problem;
  }

  /** Reads a failed response (its body is left unread on `response`: the problem is read from a clone). */
  static async fromResponse(response: Response): Promise<BaliseProblem> {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    const problem = parseProblem(text);
    const problemClass = response.status === 412 ? PreconditionFailed : BaliseProblem;
    return new problemClass(response.status, problem, text.slice(0, 200), requestId);
  }
}

/** The 412 of a write whose `If-Match` no longer matches: someone changed the resource since it was read. */
export class PreconditionFailed extends BaliseProblem {
  override readonly status = 412;
  constructor(status: number, problem: ProblemDocument | undefined, fallbackDetail = '', requestId?: string) {
    super(status, problem, fallbackDetail, requestId);
    this.name = 'PreconditionFailed';
  }
}

function parseProblem(text: string): ProblemDocument | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isProblem(parsed)) return parsed;
  } catch {
    // not JSON: the caller keeps the text as the detail
  }
  return undefined;
}

function isProblem(value: unknown): value is ProblemDocument {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    typeof value.status === 'number' &&
    'code' in value &&
    typeof value.code === 'string'
  );
}
