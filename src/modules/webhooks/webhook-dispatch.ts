import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../../db/database';
import { readFeedBatch } from '../events';
import { enqueueJobs } from '../../platform/jobs/job-queue';
import type { Clock } from '../../shared/clock';
import { DELIVERY_CHUNK, deliverWebhookJob } from './webhooks.jobs';

/** Events read per dispatch transaction: one statement turns them all into deliveries. */
export const DISPATCH_BATCH = 500;

export interface DispatchDependencies {
  readonly db: Database;
  readonly clock: Clock;
}

/**
 * Moves the dispatch cursor over the next batch of the event feed, in one transaction: a delivery
 * row per (event, enabled endpoint that wants it), their jobs (an endpoint's deliveries in feed order,
 * `DELIVERY_CHUNK` a job), then the cursor.
 * The cursor row is locked with SKIP LOCKED: whatever the number of processes, one dispatcher
 * moves it at a time and the others do nothing (undefined), so an event becomes a delivery once.
 * The batch is read like the feed (below the oldest running transaction, in commit order), so the
 * cursor never passes an event whose transaction has yet to commit. Each message's body is the
 * event exactly as `GET /v1/events` shows it (`readFeedBatch`, the feed's own mapping). An endpoint
 * gets the events that occurred after it was created.
 */
export async function dispatchEventBatch(
  deps: DispatchDependencies,
): Promise<{ events: number; deliveries: number } | undefined> {
  return deps.db.transaction(async (tx) => {
    const [cursor] = await selectRows<{ transaction_id: string; sequence: string | number }>(
      tx,
      sql`select transaction_id::text, sequence from webhook_dispatch_cursor where id = 1 for update skip locked`,
    );
    if (!cursor) return undefined;
    const batch = await readFeedBatch(
      tx,
      { transactionId: cursor.transaction_id, sequence: Number(cursor.sequence) },
      DISPATCH_BATCH,
    );
    if (!batch.last) return { events: 0, deliveries: 0 };
    const now = deps.clock.now().toISOString();
    const messages = batch.events.map((event, position) => ({ position, body: event }));
    const [result] = await selectRows<{ delivery_ids_by_endpoint: string[][] }>(
      tx,
      sql`with batch as (
        select b.position, b.body, b.body->>'id' as id, b.body->>'type' as type,
               (b.body->>'occurredAt')::timestamptz as occurred_at, (b.body->>'structureId')::uuid as structure_id
          from jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) as b(position integer, body jsonb)
      ), inserted as (
        insert into webhook_deliveries (webhook_id, message_id, event_type, payload, next_attempt_at, created_at)
        select w.id, b.id, b.type, b.body, ${now}::timestamptz, ${now}::timestamptz
          from batch b
          join webhooks w
            on w.enabled
           and b.occurred_at >= w.created_at
           and (cardinality(w.structure_ids) = 0 or b.structure_id = any(w.structure_ids))
           and exists (select 1 from unnest(w.event_types) as s(selector)
                        where s.selector in ('*', b.type)
                           or (right(s.selector, 1) = '.' and starts_with(b.type, s.selector)))
         order by b.position, w.id
        returning id, webhook_id, message_id
      ), by_endpoint as (
        select i.webhook_id, json_agg(i.id order by b.position) as ids
          from inserted i join batch b on b.id = i.message_id
         group by i.webhook_id
      )
      select coalesce((select json_agg(ids) from by_endpoint), '[]'::json) as delivery_ids_by_endpoint`,
    );
    const chunks = (result?.delivery_ids_by_endpoint ?? []).flatMap((ids) => chunked(ids, DELIVERY_CHUNK));
    await enqueueJobs(
      tx,
      deliverWebhookJob,
      chunks.map((deliveryIds) => ({ deliveryIds, attempt: 1 })),
    );
    await tx.execute(
      sql`update webhook_dispatch_cursor
             set transaction_id = ${batch.last.transactionId}::xid8, sequence = ${batch.last.sequence}::bigint
           where id = 1`,
    );
    return { events: batch.events.length, deliveries: chunks.reduce((sum, ids) => sum + ids.length, 0) };
  });
}

export async function hasEnabledWebhooks(db: Database): Promise<boolean> {
  const [row] = await selectRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from webhooks where enabled) as found`,
  );
  return row?.found === true;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
