import type { MailboxStatus, MailboxType } from '../../mailboxes/mailbox-type';
import type { MailboxRecord } from '../../mailboxes/mailboxes.repository';
import { quotaFamilyOf } from '../../correspondences/quota';
import type { QuotaFamily, Quotas } from '../../structures/structures.schemas';

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

/**
 * A map that stores its own copy of each key. Parsers hand out cell values that are slices of
 * the text they read, and V8 keeps a whole parent string alive as long as one slice of it lives:
 * a map kept for the whole file would keep the whole file (hundreds of MB for 100,000 XLSX rows).
 */
class OwnKeysMap<Value> extends Map<string, Value> {
  override set(key: string, value: Value): this {
    // Concatenating then slicing yields a string backed only by the key's own characters.
    return super.set(` ${key}`.slice(1), value);
  }
}

/**
 * What the planner remembers of the rows before the current one: their e-mails (duplicates,
 * references) and the MSSanté addresses they claim. The validation pass keeps one for the
 * whole file; the apply pass one per batch (earlier batches are in the database by then).
 */
export class FileState {
  readonly rows: Map<string, FileRowEntry> = new OwnKeysMap();
  readonly addresses: Map<string, number> = new OwnKeysMap();
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
  /** Boxes holding the batch's e-mails and the e-mails its rows name (any structure, not deleted). */
  boxes: ReadonlyMap<string, ExistingBox>;
  /** Active MSSanté addresses among those the batch asks for, and the box holding each. */
  addressHolders: ReadonlyMap<string, string>;
  file: FileState;
  quota: QuotaTracker;
}
