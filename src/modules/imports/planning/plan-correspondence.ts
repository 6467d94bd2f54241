import { resolveCorrespondence, type ResolvedCorrespondence } from '../../correspondences/correspondence-rules';
import type { MailboxType } from '../../../domain/mailbox-vocabulary';
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
 * AD alone changes the domain of the current address. The rules are the correspondence API's.
 */
export function planCorrespondence(
  fields: LoaduserRowFields,
  type: MailboxType,
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
    type,
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
