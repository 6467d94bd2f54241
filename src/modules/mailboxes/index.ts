/**
 * What other modules may use of mailboxes (reading a box, and the one-row update the lifecycle and
 * e-mail changes make). They import from here, never from a repository of this module
 * (test/architecture.test.ts); what is not listed here is this module's own business.
 */
export {
  findMailbox,
  findMailboxIdByEmail,
  findMailboxPrepared,
  updateMailboxRow,
  type AddressRow,
  type MailboxRecord,
  type MailboxRow,
} from './mailboxes.repository';
