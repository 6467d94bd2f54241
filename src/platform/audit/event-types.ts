import { sql, type SQL } from 'drizzle-orm';
import { AUDIT_ACTIONS, type AuditAction } from './audit-actions';

/**
 * The type of the event a change publishes is its audit action, except where the event feed's
 * public vocabulary names it otherwise. Every audited change is published: there is no list of
 * events to keep in step with the list of actions, so no change can be audited and not published.
 */
const PUBLIC_NAMES = {
  'mailbox.deletion_warned': 'lifecycle.deletion_warning',
  // A crashed import is, for whoever waits on it, an import that failed.
  'import.crashed': 'import.failed',
} as const satisfies Partial<Record<AuditAction, string>>;
type Renamed = keyof typeof PUBLIC_NAMES;

export type EventType = Exclude<AuditAction, Renamed> | (typeof PUBLIC_NAMES)[Renamed];

const isRenamed = (action: AuditAction): action is Renamed => action in PUBLIC_NAMES;

export const eventTypeOf = (action: AuditAction): EventType => (isRenamed(action) ? PUBLIC_NAMES[action] : action);

/** Each once: several actions may publish one type (an import that failed, or crashed). */
export const EVENT_TYPES: readonly EventType[] = [...new Set(AUDIT_ACTIONS.map(eventTypeOf))];

const KNOWN = new Set<string>(EVENT_TYPES);
export const isEventType = (value: string): value is EventType => KNOWN.has(value);

/** `eventTypeOf` in SQL, over an `action` column: what set-based writes use. */
export function eventTypeSql(action: SQL): SQL {
  const renames = Object.entries(PUBLIC_NAMES).map(([from, to]) => sql` when ${from} then ${to}`);
  return sql`case ${action}${sql.join(renames)} else ${action} end`;
}
