/**
 * What other modules may use of structures (reading a structure). They import from here, never
 * from a repository of this module (test/architecture.test.ts); what is not listed here is this
 * module's own business.
 */
export { findExistingStructureIds, findStructure, type StructureRecord } from './structures.repository';
