/** Imports and API bodies can leave empty or whitespace-only strings where a value is missing. */
export function isBlank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}
