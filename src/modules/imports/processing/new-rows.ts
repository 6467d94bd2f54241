import { randomUUID } from 'node:crypto';
import type { ResolvedCorrespondence } from '../../correspondences/correspondence-rules';
import type { AddressRow, MailboxRow } from '../../mailboxes';

/** The box's address as a row; test boxes get test addresses (never published). */
export function newAddressRow(mailbox: MailboxRow, address: ResolvedCorrespondence, now: Date): AddressRow {
  return {
    id: randomUUID(),
    mailboxId: mailbox.id,
    structureId: mailbox.structureId,
    localPart: address.localPart,
    domain: address.domain,
    address: address.address,
    isTest: mailbox.isTest,
    assignedAt: now,
    withdrawnAt: null,
  };
}
