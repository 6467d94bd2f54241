/**
 * What other modules may use of imports (reading an import). They import from here, never from a
 * repository of this module (test/architecture.test.ts); what is not listed here is this module's
 * own business.
 */
export { findImport } from './imports.repository';
