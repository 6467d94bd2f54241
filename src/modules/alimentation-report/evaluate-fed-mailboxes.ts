import type { Executor } from '../../db/database';
import type { DirectoryStructure, DirectorySubject } from '../directory/directory-entry';
import {
  evaluateMailbox,
  type Issue,
  type Locale,
  type ProfessionalReference,
  type ReferenceEntry,
  type RuleContext,
} from './rules';
import { selectFedMailboxBatch, selectStructureIdentities, type FedMailboxRow } from './fed-mailboxes.repository';

/** Boxes read per statement: large enough to keep round trips few, small enough to bound memory. */
export const FED_MAILBOX_BATCH_SIZE = 5000;

export interface EvaluatedMailbox {
  subject: DirectorySubject;
  structureId: string;
  structure: DirectoryStructure;
  issues: Issue[];
}

export interface EvaluationOptions {
  /** undefined: every structure. */
  structureId?: string;
  /** YYYY-MM-DD, today for the expiry rule. */
  today: string;
  locale: Locale;
  /** The reference extraction in force; null keeps the reference rules silent. */
  extractionId: string | null;
  /** Read the fields only the directory publishes too (service, phone...). */
  withDirectoryFields?: boolean;
  batchSize?: number;
}

function toSubject(row: FedMailboxRow): DirectorySubject {
  return {
    id: row.id,
    email: row.email,
    type: row.type,
    status: row.status,
    isTest: false, // fed boxes only
    rpps: row.rpps,
    adeli: row.adeli,
    lastName: row.last_name,
    firstName: row.first_name,
    profession: row.profession,
    expiresAt: row.expires_at,
    responsible: row.responsible,
    description: row.description,
    correspondence:
      row.address !== null && row.domain !== null
        ? { localPart: row.address.slice(0, row.address.lastIndexOf('@')), domain: row.domain, address: row.address }
        : null,
    connectionAccountCount: Number(row.connection_accounts),
    service: row.service ?? null,
    mailboxPhone: row.mailbox_phone ?? null,
    paperless: row.paperless ?? null,
    directoryVisible: row.directory_visible ?? null,
  };
}

/** The reference entries the batch query joined in, as the rules' lookup. */
function batchReference(rows: readonly FedMailboxRow[]): ProfessionalReference {
  const entries = new Map<string, ReferenceEntry>();
  for (const row of rows) {
    if (row.ref_last_name !== null && row.rpps !== null) {
      entries.set(row.rpps, { lastName: row.ref_last_name, firstName: row.ref_first_name, profession: null });
    }
  }
  return { lookup: (rpps) => entries.get(rpps) };
}

/**
 * Walks the fed boxes in id order, one keyset batch at a time, and runs the whole rule catalogue
 * on each box in memory. Yields batch by batch, so callers (the report, its exports, the
 * directory refresh) hold at most two batches of boxes: the next batch's query is sent before
 * the current one is evaluated, so the database works while Node.js runs the rules.
 */
export async function* evaluateFedMailboxes(
  executor: Executor,
  options: EvaluationOptions,
): AsyncGenerator<EvaluatedMailbox[]> {
  const limit = options.batchSize ?? FED_MAILBOX_BATCH_SIZE;
  const fetchAfter = (afterId: string | null) => {
    const query = selectFedMailboxBatch(executor, {
      structureId: options.structureId,
      afterId,
      limit,
      extractionId: options.extractionId,
      withDirectoryFields: options.withDirectoryFields,
    });
    // Awaited below; if the caller stops iterating first, its failure must not go unhandled.
    query.catch(() => undefined);
    return query;
  };
  const structures = new Map<string, DirectoryStructure>();
  let next = fetchAfter(null);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    const isLast = rows.length < limit;
    if (!isLast) next = fetchAfter(rows[rows.length - 1]!.id);
    const unknown = [...new Set(rows.map((row) => row.structure_id))].filter((id) => !structures.has(id));
    for (const identity of await selectStructureIdentities(executor, unknown)) {
      structures.set(identity.id, { finess: identity.finess, siret: identity.siret });
    }
    const reference = options.extractionId ? batchReference(rows) : null;
    const contexts = new Map<string, RuleContext>();
    const contextOf = (structureId: string): RuleContext => {
      let context = contexts.get(structureId);
      if (!context) {
        context = { structure: structures.get(structureId)!, today: options.today, reference };
        contexts.set(structureId, context);
      }
      return context;
    };
    yield rows.map((row) => {
      const subject = toSubject(row);
      const context = contextOf(row.structure_id);
      return {
        subject,
        structureId: row.structure_id,
        structure: context.structure,
        issues: evaluateMailbox(subject, context, { locale: options.locale }),
      };
    });
    if (isLast) return;
  }
}
