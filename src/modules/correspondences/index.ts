/**
 * What other modules may use of correspondences (keeping a box's active MSSanté address in step
 * with the box). They import from here, never from a repository of this module
 * (test/architecture.test.ts); what is not listed here is this module's own business.
 */
export {
  findActiveAddressByValue,
  moveActiveAddress,
  setActiveAddressTestFlag,
  withdrawActiveAddress,
} from './correspondences.repository';
