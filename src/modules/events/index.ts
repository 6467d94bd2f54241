/**
 * What other modules may use of events (the feed's reading side; events are written by
 * `platform/audit` with each audit entry). Webhook dispatch reads the whole feed in batches, in
 * feed order and below its horizon (`readFeedBatch`, modules/webhooks/webhook-dispatch.ts).
 */
export { readEventFeed, readFeedBatch, type EventFeedPage } from './events.service';
export type { FeedPosition } from './events.repository';
