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
