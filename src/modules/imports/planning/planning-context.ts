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
 * Its own copy of a map key. Parsers hand out cell values that are slices of the text they read,
 * and V8 keeps a whole parent string alive as long as one slice of it lives: a map kept for the
 * whole file would keep the whole file (hundreds of MB for 100,000 XLSX rows). A JSON round trip
 * yields a flat string of the key's own characters, any character included (a slice of a
 * concatenation, the cheaper-looking copy, is itself a slice and costs a header more per key).
 */
const ownCopy = (key: string): string => JSON.parse(JSON.stringify(key)) as string;

/** A map that stores its own copy of each key (see `ownCopy`). */
class OwnKeysMap<Value> extends Map<string, Value> {
  override set(key: string, value: Value): this {
    return super.set(ownCopy(key), value);
  }
}

const TYPE_CODES: readonly (MailboxType | undefined)[] = [undefined, ...MAILBOX_TYPES];

/**
 * The file's rows by e-mail, each entry packed into one small integer (row number, type, status,
 * failed) rather than an object: the validation pass keeps an entry per row of the whole file,
 * and an object costs about 60 bytes more per row.
 */
class FileRows {
  private readonly packed = new OwnKeysMap<number>();

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
