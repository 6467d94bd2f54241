import type { ErrorDetail } from '../../domain/errors/error-catalogue';

/**
 * Text PostgreSQL cannot store as sent. A NUL character is refused by `text` (22021) and `jsonb`;
 * an unpaired UTF-16 surrogate (from a `\ud800` JSON escape) has no UTF-8 form, so the drivers
 * would silently store U+FFFD in its place.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** No route takes anything nested this deep; deeper input would only feed recursive code (hashing, jsonb). */
export const MAX_NESTING_DEPTH = 32;

/** At most this many issues are reported: a hostile body may hold thousands. */
const MAX_ISSUES = 20;

export function unsafeTextIssue(text: string, field: string): ErrorDetail | undefined {
  if (text.includes('\u0000'))
    return { field, code: 'TEXT_NUL_CHARACTER', message: 'contains a NUL character (U+0000)' };
  if (LONE_SURROGATE.test(text))
    return {
      field,
      code: 'TEXT_LONE_SURROGATE',
      message: 'contains an unpaired UTF-16 surrogate, which is not a character',
    };
  return undefined;
}

/**
 * Every string (object keys included) of a parsed body, query or params that cannot be stored,
 * named by its dotted path like schema errors are, plus values nested beyond MAX_NESTING_DEPTH.
 * Iterative, so that hostile nesting cannot overflow the stack here.
 */
export function findUnsafeInput(root: unknown, rootField: string): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  const pending: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  const fieldOf = (path: string[]) => (path.length > 0 ? path.join('.') : rootField);
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      const issue = unsafeTextIssue(value, fieldOf(path));
      if (issue) issues.push(issue);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_NESTING_DEPTH) {
      issues.push({
        field: fieldOf(path),
        code: 'NESTED_TOO_DEEPLY',
        message: `is nested deeper than ${MAX_NESTING_DEPTH} levels`,
      });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = [...path, key];
      const keyIssue = unsafeTextIssue(key, fieldOf(itemPath));
      if (keyIssue) issues.push(keyIssue);
      pending.push({ value: item, path: itemPath });
    }
  }
  return issues;
}
