import type { AuditEntry } from '../../../platform/audit/audit';
import { toColumns } from '../../mailboxes/mailbox-mapper';
import type { AddressRow, MailboxRow } from '../../mailboxes';
import { buildNewMailbox, mailboxAuditView } from '../../mailboxes/new-mailbox';
import { invitationMessage } from '../../notifications/messages';
import type { OutgoingNotification } from '../../notifications/notification-outbox';
import type { ImportCounts, ImportRowInsert } from '../imports.repository';
import type { LinkChange } from '../planning/plan-links';
import type { CreatedRowPlan, RowPlan, UpdatedRowPlan } from '../planning/plan-row';
import type { ExistingBox } from '../planning/planning-context';
import type { BatchWrites, LinkPair } from './batch-writes.repository';
import { countInvitation, invitationOf } from './invitations';
import { newAddressRow } from './new-rows';

export interface ComposedBatch {
  writes: BatchWrites;
  audits: AuditEntry[];
  invitations: OutgoingNotification[];
  importRows: ImportRowInsert[];
  counts: ImportCounts;
}

interface BatchInput {
  importId: string;
  structureId: string;
  now: Date;
  notify: boolean;
  boxes: ReadonlyMap<string, ExistingBox>;
  /** Boxes named in AB or AH that a row further down creates: their links are written after every row (`later-links.ts`). */
  deferred?: ReadonlySet<string>;
}

/** The import row of a plan: its outcome, its box, its issues. */
export function toImportRow(importId: string, plan: RowPlan, mailboxId: string | null): ImportRowInsert {
  return {
    importId,
    rowNumber: plan.rowNumber,
    email: plan.email,
    outcome: plan.outcome,
    mailboxId,
    errors: plan.outcome === 'failed' ? plan.issues : [],
    warnings: plan.outcome === 'failed' ? [] : plan.warnings,
  };
}

const applyChange = (current: readonly string[], change: LinkChange | null) =>
  change ? [...current.filter((email) => !change.remove.includes(email)), ...change.add] : [...current];

/**
 * Turns a batch's plans into rows to write, audit events (cause: the import), invitations and
 * per-row outcomes. Pure: ids and registration tokens are made here, nothing is read.
 */
export function composeBatch(plans: readonly RowPlan[], input: BatchInput): ComposedBatch {
  const batch: ComposedBatch = {
    writes: {
      createdBoxes: [],
      changedBoxes: [],
      touchedBoxIds: [],
      withdrawnAddressIds: [],
      newAddresses: [],
      retaggedAddresses: [],
      delegates: { add: [], remove: [] },
      connectionAccounts: { add: [], remove: [] },
    },
    audits: [],
    invitations: [],
    importRows: [],
    counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
  };
  const idsByEmail = new Map<string, string>();
  for (const [email, box] of input.boxes) {
    if (box.record.mailbox.structureId !== input.structureId) continue;
    idsByEmail.set(email, box.record.mailbox.id);
    for (const [linkedEmail, linkedId] of box.linkedIds) idsByEmail.set(linkedEmail, linkedId);
  }
  const idOf = (email: string) => {
    const id = idsByEmail.get(email);
    if (id === undefined) throw new Error('import batch: a row names a box missing from the batch snapshot');
    return id;
  };
  const cause = { importId: input.importId };
  const linkPairs = (ownerId: string, change: LinkChange | null, target: { add: LinkPair[]; remove: LinkPair[] }) => {
    for (const email of change?.add ?? []) {
      if (!idsByEmail.has(email) && input.deferred?.has(email)) continue;
      target.add.push([ownerId, idOf(email)]);
    }
    for (const email of change?.remove ?? []) target.remove.push([ownerId, idOf(email)]);
  };

  const addCreated = (plan: CreatedRowPlan) => {
    const { row, token } = buildNewMailbox(plan.fields, input.structureId, input.now, 'preregistered');
    idsByEmail.set(plan.email!, row.id);
    const address = plan.address ? newAddressRow(row, plan.address, input.now) : null;
    batch.writes.createdBoxes.push(row);
    if (address) batch.writes.newAddresses.push(address);
    linkPairs(row.id, { add: plan.delegates, remove: [] }, batch.writes.delegates);
    linkPairs(row.id, { add: plan.connectionAccounts, remove: [] }, batch.writes.connectionAccounts);
    const invitation = invitationOf(plan, input.notify);
    if (invitation === 'queued' && token !== null) batch.invitations.push(invitationMessage(row, token));
    countInvitation(batch.counts, invitation);
    batch.audits.push({
      action: 'mailbox.created',
      targetType: 'mailbox',
      targetId: row.id,
      structureId: input.structureId,
      mailboxId: row.id,
      cause,
      after: mailboxAuditView(
        { mailbox: row, address },
        { delegates: plan.delegates, connectionAccounts: plan.connectionAccounts },
      ),
    });
    return row.id;
  };

  const addUpdated = (plan: UpdatedRowPlan) => {
    const { record, delegates, connectionAccounts } = plan.existing;
    const id = record.mailbox.id;
    const columns = plan.fields ? toColumns(plan.fields) : {};
    const mailbox: MailboxRow = Object.assign({}, record.mailbox, columns, {
      version: record.mailbox.version + 1,
      updatedAt: input.now,
    });
    if (plan.fields) batch.writes.changedBoxes.push({ id, ...columns, updatedAt: input.now });
    else batch.writes.touchedBoxIds.push(id);
    let address: AddressRow | null = record.address;
    if (plan.address) {
      if (record.address) batch.writes.withdrawnAddressIds.push(record.address.id);
      address = newAddressRow(mailbox, plan.address, input.now);
      batch.writes.newAddresses.push(address);
    } else if (address && address.isTest !== mailbox.isTest) {
      // A test account's address is a test address (never published): the flag follows the box.
      address = { ...address, isTest: mailbox.isTest };
      batch.writes.retaggedAddresses.push({ id: address.id, isTest: address.isTest });
    }
    linkPairs(id, plan.delegates, batch.writes.delegates);
    linkPairs(id, plan.connectionAccounts, batch.writes.connectionAccounts);
    batch.audits.push({
      action: 'mailbox.updated',
      targetType: 'mailbox',
      targetId: id,
      structureId: input.structureId,
      mailboxId: id,
      cause,
      before: mailboxAuditView(record, { delegates, connectionAccounts }),
      after: mailboxAuditView(
        { mailbox, address },
        {
          delegates: applyChange(delegates, plan.delegates),
          connectionAccounts: applyChange(connectionAccounts, plan.connectionAccounts),
        },
      ),
    });
    return id;
  };

  for (const plan of plans) {
    batch.counts[plan.outcome] += 1;
    const mailboxId =
      plan.outcome === 'created'
        ? addCreated(plan)
        : plan.outcome === 'updated'
          ? addUpdated(plan)
          : plan.outcome === 'unchanged'
            ? plan.mailboxId
            : null;
    batch.importRows.push(toImportRow(input.importId, plan, mailboxId));
  }
  return batch;
}
