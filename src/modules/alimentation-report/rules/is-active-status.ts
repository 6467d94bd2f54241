import type { MailboxStatus } from '../../../domain/mailbox-vocabulary';

/** Pre-registered and valid boxes are live; the other statuses are never fed to the ANS. */
export function isActiveStatus(status: MailboxStatus): boolean {
  return status === 'preregistered' || status === 'valid';
}
