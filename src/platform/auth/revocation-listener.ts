import type { PGlite } from '@electric-sql/pglite';
import type { FastifyBaseLogger } from 'fastify';
import { Client } from 'pg';
import type { DatabaseHandle } from '../../db/database';
import type { ApiKeyCache } from './api-key-cache';

const RECONNECT_DELAY_MS = 1000;

/**
 * Hears revocations announced by any API process and evicts them from this process's cache.
 * On PostgreSQL a dedicated connection LISTENs (pooled connections cannot); when it drops, the
 * cache is suspended until the connection is back. Answers a function that stops listening.
 */
export async function listenForRevocations(
  handle: DatabaseHandle,
  cache: ApiKeyCache,
  log: FastifyBaseLogger,
  channel: string,
): Promise<() => Promise<void>> {
  if (handle.kind === 'pglite' || !handle.pool) {
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const unlisten = await client.listen(channel, (secretHash) => cache.evict(secretHash));
    return () => unlisten();
  }
  // The same server and credentials as the pool, on a connection of its own.
  const connectionOptions = handle.pool.options;
  let stopped = false;
  let client: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  // One reconnection at a time, however many ways a connection reports its end: an 'error' event,
  // an 'end' without one (a server closing cleanly), a failed connect or LISTEN.
  const reconnectSoon = (lost: Client) => {
    cache.suspend();
    if (client === lost) client = undefined;
    void lost.end().catch(() => undefined);
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, RECONNECT_DELAY_MS);
  };
  const connect = async (): Promise<void> => {
    const next = new Client(connectionOptions);
    let isLost = false;
    const lose = () => {
      if (isLost) return;
      isLost = true;
      reconnectSoon(next);
    };
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) cache.evict(message.payload);
    });
    // Without this listener a cut connection would be an uncaught exception and stop the process.
    next.on('error', (error) => {
      if (!isLost) log.warn({ err: error }, 'the API key revocation listener lost its connection');
      lose();
    });
    next.on('end', () => {
      if (!stopped) lose();
    });
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
    } catch (error) {
      if (!isLost)
        log.warn({ err: error }, 'the API key revocation listener could not connect; keys are not cached meanwhile');
      lose();
      return;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    cache.resume();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
