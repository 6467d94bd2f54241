/** Postgres error codes we turn into API answers. Both pg and PGlite expose `code` (drizzle may wrap it in `cause`). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
/** What an `ON DELETE RESTRICT` key raises instead of 23503 when the referenced row is deleted. */
const RESTRICT_VIOLATION = '23001';
const LOCK_NOT_AVAILABLE = '55P03';

interface PostgresErrorFields {
  code?: string;
  constraint?: string;
}

function postgresFieldsOf(error: unknown): PostgresErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const candidate = current as PostgresErrorFields & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const fields = postgresFieldsOf(error);
  return fields?.code === UNIQUE_VIOLATION && (constraint === undefined || fields.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = postgresFieldsOf(error)?.code;
  return code === FOREIGN_KEY_VIOLATION || code === RESTRICT_VIOLATION;
}

/** A lock wait ran past `lock_timeout`. */
export function isLockNotAvailable(error: unknown): boolean {
  return postgresFieldsOf(error)?.code === LOCK_NOT_AVAILABLE;
}

/**
 * SQLSTATEs meaning the server is going away or cannot take us now: 57P01 admin_shutdown (a
 * restart, or `pg_terminate_backend`), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
 * up, or in recovery during a failover), 53300 too_many_connections; and class 08, connection
 * exceptions.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a connection that could not be opened or was cut. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres and pg-pool say these without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Query read timeout',
];

/** The error and what it wraps: drizzle wraps the driver's error in `cause`, pg-pool a socket error. */
function* errorChainOf(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const link = current as { code?: unknown; message?: unknown; cause?: unknown };
    yield link;
    current = link.cause;
  }
}

/**
 * The database is out of reach (restarting, failing over, refusing or cutting connections, or
 * the pool found no connection in time): nothing the request did wrong, and a retry in a few
 * seconds may succeed. The API answers these 503 with `Retry-After`, never 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of errorChainOf(error)) {
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (code && (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_SOCKET_CODES.has(code)))
      return true;
    if (typeof link.message === 'string' && UNAVAILABLE_MESSAGES.some((message) => link.message === message))
      return true;
  }
  return false;
}
