import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { emailChangeRequests, mailboxes, mssanteAddresses, notifications, reminderRecipients } from '../../db/schema';
import type { MailboxRow } from '../mailboxes';

/** What a purged box's e-mail becomes: unique, obviously not deliverable (.invalid), saying nothing about anyone. */
export const purgedEmailOf = (id: string) => `purged-${id}@purged.invalid`;

/**
 * The personal data a purge erases: names, identifiers (RPPS, ADELI), contact and postal details,
 * professional details, the responsible of a shared box, free text, and the registration token.
 * Kept: id, structure, type, status, former status, flags (test, paperless, directory visibility), expiry date and every date.
 */
export const PURGED_FIELDS = [
  'email',
  'lastName',
  'firstName',
  'civility',
  'profession',
  'professionCategory',
  'specialty',
  'rpps',
  'adeli',
  'service',
  'organisationName',
  'address',
  'postalCode',
  'city',
  'phone',
  'mailboxPhone',
  'responsible',
  'description',
] as const;

/**
 * Erases a deleted box's personal data, and what other tables copied of it: its MSSanté
 * addresses (whose local parts are names), its change-of-mail requests, its outbox messages and the addresses its reminders went to.
 * The audit trail and the event feed are redacted by the caller, in the same transaction (`trail-redaction.repository.ts`).
 */
export async function purgeMailboxPersonalData(
  executor: Executor,
  mailboxId: string,
  now: Date,
): Promise<MailboxRow | undefined> {
  const email = purgedEmailOf(mailboxId);
  const [row] = await executor
    .update(mailboxes)
    .set({
      email,
      emailKey: email,
      lastName: '',
      firstName: '',
      lastNameKey: '',
      firstNameKey: '',
      civility: null,
      profession: null,
      professionCategory: null,
      specialty: null,
      rpps: null,
      adeli: null,
      service: null,
      organisationName: null,
      address: null,
      postalCode: null,
      city: null,
      phone: null,
      mailboxPhone: null,
      responsible: null,
      description: null,
      registrationTokenHash: null,
      purgedAt: now,
      updatedAt: now,
      version: sql`${mailboxes.version} + 1`,
    })
    .where(eq(mailboxes.id, mailboxId))
    .returning();
  await executor
    .update(mssanteAddresses)
    .set({
      localPart: 'purged',
      address: sql`'purged-' || ${mssanteAddresses.id} || '@' || ${mssanteAddresses.domain}`,
    })
    .where(eq(mssanteAddresses.mailboxId, mailboxId));
  await executor
    .update(emailChangeRequests)
    .set({
      currentEmail: sql`'purged-' || ${emailChangeRequests.id} || '@purged.invalid'`,
      newEmail: sql`'purged-' || ${emailChangeRequests.id} || '@purged.invalid'`,
      reason: null,
    })
    .where(eq(emailChangeRequests.mailboxId, mailboxId));
  await executor
    .update(reminderRecipients)
    .set({ recipient: sql`'purged-' || ${reminderRecipients.reminderId} || '@purged.invalid'` })
    .where(eq(reminderRecipients.mailboxId, mailboxId));
  await executor
    .update(notifications)
    .set({ recipient: sql`'purged-' || ${notifications.id} || '@purged.invalid'`, body: '[purged]' })
    .where(eq(notifications.mailboxId, mailboxId));
  return row;
}
