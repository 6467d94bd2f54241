/**
 * What other modules may use of email-change-requests (carrying requests along when a box moves).
 * They import from here, never from a repository of this module (test/architecture.test.ts); what
 * is not listed here is this module's own business.
 */
export { moveEmailChangeRequests } from './email-change-requests.repository';
