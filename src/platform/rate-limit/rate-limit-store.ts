import { lt, sql } from 'drizzle-orm';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { selectRows, type Database } from '../../db/database';
import { rateLimitWindows } from '../../db/schema';

/**
 * Counts one request in its key's window, starting a new window once the last one is over, in
 * one statement (concurrent requests from several processes each get their own count). Times
 * are the database's, the one clock all processes share.
 */
export async function countRequest(
  db: Database,
  key: string,
  windowMs: number,
): Promise<{ current: number; ttl: number }> {
  const isOver = sql`w.window_started_at <= now() - ${windowMs}::int * interval '1 millisecond'`;
  const [row] = await selectRows<{ current: number; ttl: number }>(
    db,
    sql`
    insert into ${rateLimitWindows} as w (key, window_started_at, hits) values (${key}, now(), 1)
    on conflict (key) do update set
      hits = case when ${isOver} then 1 else w.hits + 1 end,
      window_started_at = case when ${isOver} then now() else w.window_started_at end
    returning w.hits as current,
      greatest(0, ceil(extract(epoch from w.window_started_at + ${windowMs}::int * interval '1 millisecond' - now()) * 1000))::int as ttl`,
  );
  return row!;
}

/** Windows over for a day: their clients have not come back since. */
export async function deleteStaleWindows(db: Database): Promise<number> {
  const deleted = await db
    .delete(rateLimitWindows)
    .where(lt(rateLimitWindows.windowStartedAt, sql`now() - interval '1 day'`))
    .returning({ key: rateLimitWindows.key });
  return deleted.length;
}

/** @fastify/rate-limit's store contract, on PostgreSQL; each limited route counts apart. */
export function postgresRateLimitStore(db: Database) {
  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly route = '',
    ) {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      countRequest(db, `${this.route} ${key}`, timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // Typed as the route's options, but @fastify/rate-limit 11 hands its merged options, with
      // the route under `routeInfo` (the per-route test fails if that changes).
      const { groupId, routeInfo } = routeOptions as unknown as {
        groupId?: string;
        routeInfo?: { method?: string | string[]; url?: string };
      };
      return new PostgresRateLimitStore(undefined, groupId ?? `${String(routeInfo?.method)} ${routeInfo?.url}`);
    }
  };
}
