/**
 * What other modules may use of audit-log (reading audit events). They import from here, never
 * from a repository of this module (test/architecture.test.ts); what is not listed here is this
 * module's own business.
 */
export { selectAuditEvents } from './audit-log.repository';
