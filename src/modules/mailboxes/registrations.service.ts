import { recordAudit, type AuditActor } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import type { ServiceDependencies } from '../../platform/request-context';
import { findStructure } from '../structures';
import { assertExpiryRequirement, assertMailboxFields, emailTaken } from './mailbox-assertions';
import { normaliseFields, toMailbox } from './mailbox-mapper';
import { nextStatus } from '../../domain/mailbox-status';
import { invalidTransition } from './mailbox-status.service';
import { hashRegistrationToken } from './registration-token';
import {
  findMailbox,
  findMailboxIdByEmail,
  findMailboxIdByRegistrationTokenHash,
  insertMailbox,
  updateMailboxRow,
} from './mailboxes.repository';
import { buildNewMailbox, mailboxAuditView } from './new-mailbox';
import type { CompleteRegistrationBody, RegistrationBody } from './mailboxes.schemas';
import { versioned, withEmailUniqueness, type VersionedMailbox } from './mailboxes.service';

/** A self sign-up: the box waits, `pending`, until an admin of the structure validates or rejects it. */
export async function registerMailbox(
  deps: ServiceDependencies,
  actor: AuditActor,
  body: RegistrationBody,
): Promise<VersionedMailbox> {
  const { structureId, ...given } = normaliseFields(body);
  assertMailboxFields(given);
  return withEmailUniqueness(given.email, () =>
    deps.db.transaction(async (tx) => {
      if (!(await findStructure(tx, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
      await assertExpiryRequirement(tx, given, structureId);
      if (await findMailboxIdByEmail(tx, given.email)) throw emailTaken(given.email);
      const row = await insertMailbox(tx, buildNewMailbox(given, structureId, deps.clock.now(), 'pending').row);
      const mailbox = mailboxAuditView({ mailbox: row, address: null });
      await recordAudit(
        tx,
        deps.clock,
        { ...actor, id: row.id },
        {
          action: 'mailbox.registered',
          targetType: 'mailbox',
          targetId: row.id,
          structureId,
          mailboxId: row.id,
          after: mailbox,
        },
      );
      return { mailbox, version: row.version };
    }),
  );
}

/** A pre-registered user finishes registration with the token of their invitation: the box becomes valid. */
export async function completeRegistration(
  deps: ServiceDependencies,
  actor: AuditActor,
  body: CompleteRegistrationBody,
): Promise<VersionedMailbox> {
  return deps.db.transaction(async (tx) => {
    const match = await findMailboxIdByRegistrationTokenHash(tx, hashRegistrationToken(body.token));
    // Same answer for an unknown and a used token: tokens cannot be probed.
    if (!match) throw new AppError('NOT_FOUND', 'This registration token is unknown or already used');
    const current = (await findMailbox(tx, match.id, { lock: true }))!;
    const change = nextStatus(current.mailbox.status, 'completeRegistration');
    if (!change) throw invalidTransition(current, 'completeRegistration');
    const now = deps.clock.now();
    const row = await updateMailboxRow(tx, match.id, current.mailbox.version, {
      status: change.status,
      formerStatus: change.formerStatus,
      registrationTokenHash: null,
      registeredAt: now,
      updatedAt: now,
      ...(body.phone !== undefined ? { phone: body.phone?.trim() || null } : {}),
    });
    const updated = { mailbox: row!, address: current.address };
    await recordAudit(
      tx,
      deps.clock,
      { ...actor, id: match.id },
      {
        action: 'mailbox.registration_completed',
        targetType: 'mailbox',
        targetId: match.id,
        structureId: row!.structureId,
        mailboxId: match.id,
        before: toMailbox(current),
        after: toMailbox(updated),
      },
    );
    return versioned(updated);
  });
}
