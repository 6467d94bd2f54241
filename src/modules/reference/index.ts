/**
 * What other modules may use of reference (the reference extraction in force). They import from
 * here, never from a repository of this module (test/architecture.test.ts); what is not listed
 * here is this module's own business.
 */
export { findReferenceInForce } from './reference.repository';
