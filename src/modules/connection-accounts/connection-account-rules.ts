import {
  NOMINATIVE_TYPES,
  SHARED_TYPES,
  type FieldIssue,
  type MailboxStatus,
  type MailboxType,
} from '../../domain/mailbox-vocabulary';

/** What the rules need to know about a box on either side of a link. */
export interface LinkableMailbox {
  id: string;
  structureId: string;
  type: MailboxType;
  status: MailboxStatus;
}

/** One wanted link: the account (undefined when nothing matched its reference) and where the caller named it. */
export interface WantedConnectionAccount {
  account: LinkableMailbox | undefined;
  isDefault: boolean;
  /** The field that named the account, e.g. `mailboxId` or `items.2.email` (the API) or a column (the import). */
  field: string;
  /** Where `isDefault` sits, e.g. `items.2.isDefault`. */
  defaultField: string;
}

/** Boxes whose login is gone for good cannot open anything. */
const UNUSABLE_ACCOUNT_STATUSES: readonly MailboxStatus[] = ['deleted', 'rejected'];

/** Only ORG and APP boxes are opened through connection accounts. */
export function checkSharedMailbox(mailbox: { type: MailboxType }): FieldIssue | null {
  if (SHARED_TYPES.includes(mailbox.type)) return null;
  return {
    field: 'type',
    code: 'NOT_A_SHARED_MAILBOX',
    message: `A ${mailbox.type} box has no connection accounts: only ORG and APP boxes do`,
  };
}

/**
 * A connection account is a nominative login (PER, MED, INT) of the shared box's structure that
 * is not deleted nor rejected (a deactivated one may stay listed). Another structure's box is
 * reported exactly as an unknown one, so that nothing reveals it exists.
 */
export function checkConnectionAccount(
  shared: { structureId: string },
  account: LinkableMailbox | undefined,
  field: string,
): FieldIssue | null {
  if (!account || account.structureId !== shared.structureId) {
    return { field, code: 'ACCOUNT_UNKNOWN', message: 'No mailbox of this structure has this id or e-mail' };
  }
  if (!NOMINATIVE_TYPES.includes(account.type)) {
    return {
      field,
      code: 'ACCOUNT_NOT_NOMINATIVE',
      message: `A ${account.type} box cannot be a connection account: only PER, MED and INT logins can`,
    };
  }
  if (UNUSABLE_ACCOUNT_STATUSES.includes(account.status)) {
    return { field, code: 'ACCOUNT_INACTIVE', message: `A ${account.status} box cannot be a connection account` };
  }
  return null;
}

/** Every rule of a whole list (PUT, an import row): each account, and no account twice. */
export function checkConnectionAccounts(
  shared: { structureId: string },
  wanted: readonly WantedConnectionAccount[],
): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const entry of wanted) {
    const issue = checkConnectionAccount(shared, entry.account, entry.field);
    if (issue) {
      issues.push(issue);
    } else if (seen.has(entry.account!.id)) {
      issues.push({ field: entry.field, code: 'DUPLICATE_ACCOUNT', message: 'This account is listed twice' });
    } else {
      seen.add(entry.account!.id);
    }
  }
  return issues;
}

/**
 * At most one default per login, across every box it can open: `defaultsElsewhere` maps an
 * account id to the other shared box it already opens by default.
 */
export function checkDefaults(
  wanted: readonly WantedConnectionAccount[],
  defaultsElsewhere: ReadonlyMap<string, string>,
): FieldIssue[] {
  return wanted.flatMap((entry) => {
    const other = entry.isDefault && entry.account ? defaultsElsewhere.get(entry.account.id) : undefined;
    if (other === undefined) return [];
    return [
      {
        field: entry.defaultField,
        code: 'DEFAULT_TAKEN',
        message: `This account already opens box ${other} by default: unset it there first`,
      },
    ];
  });
}
