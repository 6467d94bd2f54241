/**
 * What other modules may use of events (the feed's reading side; events are written by
 * `platform/audit` with each audit entry). Webhook delivery will read the feed through here.
 */
export { readEventFeed, type EventFeedPage } from './events.service';
