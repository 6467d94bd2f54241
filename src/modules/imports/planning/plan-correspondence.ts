import { resolveCorrespondence, type ResolvedCorrespondence } from '../../correspondences/correspondence-rules';
import { checkAddressReceivable } from '../../../domain/mailbox-status';
import type { MailboxStatus, MailboxType } from '../../../domain/mailbox-vocabulary';
import type { AddressRow } from '../../mailboxes';
import type { LoaduserRowFields } from '../../loaduser-sheet';
import type { PlanningContext } from './planning-context';
import { fromFieldIssue, issueAt, type RowIssue } from './row-issues';

export interface CorrespondencePlan {
  issues: RowIssue[];
  /** The address to give the box; null when columns AC and AD leave it as it is. */
  change: ResolvedCorrespondence | null;
}

const NO_CHANGE: CorrespondencePlan = { issues: [], change: null };

/**
 * Columns AC (local part) and AD (domain). Empty cells keep the current address: an import never
 * removes one. AD empty means the current domain, or the structure's first for a new address;
 * AD alone changes the domain of the current address. The rules are the correspondence API's,
 * the status one included: a new address only for a preregistered (every created box) or valid box.
 */
export function planCorrespondence(
  fields: LoaduserRowFields,
  box: { type: MailboxType; status: MailboxStatus },
  mailboxId: string | null,
  current: AddressRow | null,
  context: PlanningContext,
): CorrespondencePlan {
  const givenLocalPart = fields.correspondenceLocalPart;
  const givenDomain = fields.correspondenceDomain;
  if (givenLocalPart === undefined && givenDomain === undefined) return NO_CHANGE;
  const localPart = givenLocalPart ?? current?.localPart;
  if (localPart === undefined) {
    return {
      issues: [
        issueAt(
          'correspondenceLocalPart',
          'LOCAL_PART_REQUIRED',
          'Column AD is filled: give the MSSanté address before the @ in column AC too.',
        ),
      ],
      change: null,
    };
  }
  const { issues, resolved } = resolveCorrespondence(
    box.type,
    { localPart, domain: givenDomain ?? current?.domain ?? null },
    context.domains,
  );
  if (!resolved) {
    return {
      issues: issues.map((issue) =>
        issue.code === 'CORRESPONDENCE_FORBIDDEN'
          ? issueAt('correspondenceLocalPart', issue.code, issue.message)
          : fromFieldIssue(issue, 'correspondenceLocalPart'),
      ),
      change: null,
    };
  }
  if (current?.address === resolved.address) return NO_CHANGE;
  // The address a box holds round-trips through an export; only a new one depends on the status.
  const refusal = checkAddressReceivable(box);
  if (refusal) return { issues: [issueAt('correspondenceLocalPart', refusal.code, refusal.message)], change: null };
  const holder = context.addressHolders.get(resolved.address);
  if (holder !== undefined && holder !== mailboxId) {
    return {
      issues: [
        issueAt(
          'correspondenceLocalPart',
          'ADDRESS_TAKEN',
          `${resolved.address} is already the MSSanté address of another box.`,
        ),
      ],
      change: null,
    };
  }
  const claimedBy = context.file.addresses.get(resolved.address);
  if (claimedBy !== undefined) {
    return {
      issues: [
        issueAt(
          'correspondenceLocalPart',
          'ADDRESS_DUPLICATE',
          `${resolved.address} is also given on row ${claimedBy}.`,
        ),
      ],
      change: null,
    };
  }
  return { issues: [], change: resolved };
}
