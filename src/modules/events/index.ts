/**
 * What other modules may use of events (the feed's reading side; events are written by
 * `platform/audit` with each audit entry). Webhook dispatch reads the `events` table set-based, in
 * feed order and with the feed's horizon (`feedAfter`, modules/webhooks/webhook-dispatch.ts).
 */
export { readEventFeed, type EventFeedPage } from './events.service';
export { feedAfter, type FeedPosition } from './events.repository';
