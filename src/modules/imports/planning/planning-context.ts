import {
  MAILBOX_STATUSES,
  MAILBOX_TYPES,
  type MailboxStatus,
  type MailboxType,
} from '../../../domain/mailbox-vocabulary';
import type { MailboxRecord } from '../../mailboxes';
import { quotaFamilyOf } from '../../correspondences/quota';
import type { QuotaFamily, Quotas } from '../../structures/structures.schemas';
import type { LaterRows } from './later-rows';
import { OffHeapStringMap } from './off-heap-string-map';

/** A box the database holds, with its links as lower-case e-mails (what column AB and AH list). */
export interface ExistingBox {
  record: MailboxRecord;
  delegates: string[];
  connectionAccounts: string[];
  /** Ids of the linked boxes by e-mail: a link dropped from the list is removed by id. */
  linkedIds: Map<string, string>;
}

/** A row of the file already planned: later rows may name it (AB, AH), never repeat it. */
export interface FileRowEntry {
  rowNumber: number;
  type: MailboxType | undefined;
  status: MailboxStatus;
  failed: boolean;
}

const TYPE_CODES: readonly (MailboxType | undefined)[] = [undefined, ...MAILBOX_TYPES];

/**
 * The file's rows by e-mail, each entry packed into one number (row number, type, status,
 * failed) rather than an object, in a map off V8's heap: the validation pass keeps an entry per
 * row of the whole file.
 */
class FileRows {
  private readonly packed = new OffHeapStringMap();

  has(email: string): boolean {
    return this.packed.has(email);
  }

  get(email: string): FileRowEntry | undefined {
    const value = this.packed.get(email);
    if (value === undefined) return undefined;
    return {
      rowNumber: Math.floor(value / 128),
      type: TYPE_CODES[(value >> 4) & 7],
      status: MAILBOX_STATUSES[(value >> 1) & 7]!,
      failed: (value & 1) === 1,
    };
  }

  set(email: string, entry: FileRowEntry): void {
    const value =
      entry.rowNumber * 128 +
      TYPE_CODES.indexOf(entry.type) * 16 +
      MAILBOX_STATUSES.indexOf(entry.status) * 2 +
      (entry.failed ? 1 : 0);
    this.packed.set(email, value);
  }
}

/**
 * What the planner remembers of the rows before the current one: their e-mails (duplicates,
 * references) and the MSSanté addresses they claim. The validation pass keeps one for the
 * whole file; the apply pass one per batch (earlier batches are in the database by then).
 */
export class FileState {
  readonly rows = new FileRows();
  /** The row claiming each address. */
  readonly addresses = new OffHeapStringMap();
}

/** The structure's quotas, counted as rows claim new addresses. */
export class QuotaTracker {
  constructor(
    private readonly limits: Quotas,
    private readonly used: Record<QuotaFamily, number>,
  ) {}

  /** Takes a place for a new address of `type`; false when the family is full. */
  tryTake(type: MailboxType): boolean {
    const family = quotaFamilyOf(type);
    if (!family) return true;
    const limit = this.limits[family];
    if (limit !== null && this.used[family] >= limit) return false;
    this.used[family] += 1;
    return true;
  }

  /** Addresses in use per family, the places taken so far included. */
  inUse(): Record<QuotaFamily, number> {
    return { ...this.used };
  }

  describe(type: MailboxType): string {
    const family = quotaFamilyOf(type);
    return family ? `${family} quota of ${String(this.limits[family])} addresses` : 'quota';
  }
}

export const hasAnyQuota = (quotas: Quotas) => Object.values(quotas).some((limit) => limit !== null);

/** Everything one row is judged against. */
export interface PlanningContext {
  structureId: string;
  /** The structure's MSSanté domains, the first being the default. */
  domains: readonly string[];
  /** The import's `directoryVisible` option, for created boxes whose column R is empty. */
  directoryVisible: boolean | null;
  /** The structure's setting: INT boxes without expiry date are refused (column P) rather than accepted. */
  intExpiryRequired: boolean;
  /** Boxes holding the batch's e-mails and the e-mails its rows name (any structure, not deleted). */
  boxes: ReadonlyMap<string, ExistingBox>;
  /** Active MSSanté addresses among those the batch asks for, and the box holding each. */
  addressHolders: ReadonlyMap<string, string>;
  file: FileState;
  quota: QuotaTracker;
  /** Where names in AB and AH not known yet go: a row further down the file may hold them. */
  laterRows?: LaterRows;
}
