/**
 * What other modules may use of lifecycle (a box's last sign of life, as SQL). They import from
 * here, never from a repository of this module (test/architecture.test.ts); what is not listed
 * here is this module's own business.
 */
export { signOfLifeSql } from './lifecycle.repository';
export { lifecycleDatesOf, type LifecycleDates } from './lifecycle-dates';
