export interface IdempotencyRouteOptions {
  /** Top-level fields of the JSON answer that are shown once and never stored for a replay. */
  redact: readonly string[];
}

/** Sent on a replay whose stored answer lost fields: which ones, comma-separated. */
export const REDACTED_FIELDS_HEADER = 'idempotent-redacted';

export interface StoredAnswer {
  body: string | null;
  /** The fields actually removed (an error answer usually has none of them). */
  redactedFields: string[];
}

/**
 * The answer as the idempotency record keeps it. Fastify has serialised it already, so the
 * fields are removed from the JSON text; key order and the rest of the body stay as they were sent.
 */
export function redactStoredAnswer(body: string | null, options: IdempotencyRouteOptions | undefined): StoredAnswer {
  if (body === null || body === '' || !options || options.redact.length === 0) return { body, redactedFields: [] };
  const parsed = parseJsonObject(body);
  // Not a JSON object: nothing of a declared field can be told apart, so nothing is kept.
  if (!parsed) return { body: null, redactedFields: [...options.redact] };
  const redactedFields = options.redact.filter((field) => Object.hasOwn(parsed, field));
  if (redactedFields.length === 0) return { body, redactedFields };
  for (const field of redactedFields) delete parsed[field];
  return { body: JSON.stringify(parsed), redactedFields };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
