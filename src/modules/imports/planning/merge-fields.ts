import { mergeFields, toColumns } from '../../mailboxes/mailbox-mapper';
import type { MailboxFields, Responsible } from '../../../domain/mailbox-vocabulary';
import type { MailboxRow } from '../../mailboxes';

const isGiven = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * A row laid over the box it updates: empty cells keep the stored value, `#VIDE` cells (`null`)
 * clear it, and the responsible is merged cell by cell (column X alone changes or clears the
 * RPPS, not the whole person; a `null` responsible removes it). The reference e-mail is the
 * row's key, never changed by an import (its case included).
 */
export function mergeRowIntoBox(row: MailboxRow, given: MailboxFields): MailboxFields {
  const { email: _key, responsible, ...changes } = given;
  const merged = mergeFields(row, changes);
  if (responsible === null) merged.responsible = null;
  if (responsible) {
    const givenParts = Object.entries(responsible).filter(([, value]) => value !== undefined && value !== '');
    // Clearing a part of a responsible the box does not have changes nothing.
    if (row.responsible === null && givenParts.every(([, value]) => value === null)) return merged;
    const parts: Responsible = {
      lastName: '',
      firstName: '',
      ...(row.responsible ?? {}),
      ...Object.fromEntries(givenParts),
    };
    merged.responsible = parts;
  }
  return merged;
}

/** Responsibles compare without their empty parts: `{ rpps: null }` and `{}` say the same. */
function normaliseResponsible(responsible: Responsible | null | undefined): string {
  if (!responsible) return 'null';
  const entries = Object.entries(responsible)
    .filter(([, value]) => isGiven(value))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}

/** Whether storing `fields` would change any column of the stored box. */
export function changesColumns(row: MailboxRow, fields: MailboxFields): boolean {
  const columns = toColumns(fields) as Record<string, unknown>;
  const stored = row as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(columns)) {
    if (key === 'responsible') {
      if (normaliseResponsible(value as Responsible | null) !== normaliseResponsible(row.responsible)) return true;
    } else if ((value ?? null) !== (stored[key] ?? null)) {
      return true;
    }
  }
  return false;
}
