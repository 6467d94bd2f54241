import type { Executor } from '../../db/database';
import { AppError } from '../../domain/errors/error-catalogue';
import { lockMailboxesByIdOrEmailKey, type MailboxRow } from './mailboxes.repository';

/** How a request names another box: by id, or by its reference e-mail (what integrators and the loaduser know). */
export interface MailboxReference {
  mailboxId?: string;
  email?: string;
}

/** The field of the reference as the caller wrote it, e.g. `items.2.email`; `idField` is how the API names the id. */
export const referenceFieldOf = (reference: MailboxReference, prefix = '', idField = 'mailboxId') =>
  prefix + (reference.email !== undefined ? 'email' : idField);

/** Exactly one of the id and `email`: otherwise the request is malformed (400). */
export function assertReferences(
  references: readonly MailboxReference[],
  prefixOf: (index: number) => string,
  idField = 'mailboxId',
): void {
  const errors = references.flatMap((reference, index) => {
    const given = Number(reference.mailboxId !== undefined) + Number(reference.email !== undefined);
    if (given === 1) return [];
    return [
      {
        field: `${prefixOf(index)}${idField}`,
        code: given === 0 ? 'MAILBOX_REFERENCE_REQUIRED' : 'MAILBOX_REFERENCE_AMBIGUOUS',
        message: `Name the box by \`${idField}\` or by \`email\`, one of the two`,
      },
    ];
  });
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Each box is named by its id or its e-mail', errors);
}

/**
 * The boxes the references name, whatever their structure (the caller judges), locked FOR SHARE
 * so that a concurrent type change, transfer or deletion of one of them waits for the caller's
 * transaction. An e-mail finds the box that holds it; a deleted box no longer holds its e-mail.
 */
export async function findReferencedMailboxes(
  executor: Executor,
  references: readonly MailboxReference[],
): Promise<(reference: MailboxReference) => MailboxRow | undefined> {
  const ids = references.flatMap((reference) => (reference.mailboxId !== undefined ? [reference.mailboxId] : []));
  const emailKeys = references.flatMap((reference) =>
    reference.email !== undefined ? [reference.email.trim().toLowerCase()] : [],
  );
  const rows = ids.length + emailKeys.length === 0 ? [] : await lockMailboxesByIdOrEmailKey(executor, ids, emailKeys);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byEmail = new Map(rows.filter((row) => row.status !== 'deleted').map((row) => [row.emailKey, row]));
  return (reference) =>
    reference.mailboxId !== undefined
      ? byId.get(reference.mailboxId)
      : byEmail.get(reference.email?.trim().toLowerCase() ?? '');
}
