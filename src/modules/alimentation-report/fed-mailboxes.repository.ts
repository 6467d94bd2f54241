import { inArray, sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db/database';
import { structures } from '../../db/schema';
import type { MailboxStatus, MailboxType, Responsible } from '../../domain/mailbox-vocabulary';

/**
 * One fed box with what the rules read, from one batch query. Columns are few on purpose: over
 * 100,000 boxes every column costs (node-postgres parses each value), so the structure's ids come
 * from their own lookup and the directory's fields only when asked for.
 */
export interface FedMailboxRow {
  id: string;
  structure_id: string;
  email: string;
  type: MailboxType;
  status: MailboxStatus;
  rpps: string | null;
  adeli: string | null;
  last_name: string;
  first_name: string;
  profession: string | null;
  expires_at: string | null;
  responsible: Responsible | null;
  description: string | null;
  domain: string | null;
  address: string | null;
  /** The reference's exercise name for the box's RPPS (null: not in the reference, or none loaded). */
  ref_last_name: string | null;
  ref_first_name: string | null;
  /** ORG boxes only (0 for the others): logins allowed to open the box, deleted ones excepted. */
  connection_accounts: number;
  /** With `withDirectoryFields` only. */
  service?: string | null;
  mailbox_phone?: string | null;
  paperless?: boolean | null;
  directory_visible?: boolean | null;
}

export interface FedMailboxBatchQuery {
  /** undefined: every structure (the directory feed). */
  structureId?: string;
  afterId: string | null;
  limit: number;
  /** The reference extraction in force, joined by RPPS; null when none is loaded. */
  extractionId: string | null;
  withDirectoryFields?: boolean;
}

/**
 * The next batch of fed boxes (pre-registered or valid, not test, not MED) in id order: keyset
 * pagination over `(structure_id, id)`, one statement per batch, with the active MSSanté
 * address, the reference entry of the box's RPPS and, for ORG boxes, the count of connection
 * accounts (an index lookup each) joined in.
 */
export async function selectFedMailboxBatch(executor: Executor, query: FedMailboxBatchQuery): Promise<FedMailboxRow[]> {
  const reference = query.extractionId
    ? sql`left join lateral (
          select rp.last_name, rp.first_name from reference_professionals rp
           where rp.extraction_id = ${query.extractionId}::uuid and rp.rpps = m.rpps limit 1) r on true`
    : sql`left join (select null::text as last_name, null::text as first_name) r on false`;
  return selectRows<FedMailboxRow>(
    executor,
    sql`
    select m.id, m.structure_id, m.email, m.type, m.status, m.rpps, m.adeli, m.last_name, m.first_name, m.profession,
           m.expires_at::text as expires_at, m.responsible, m.description, a.domain, a.address,
           r.last_name as ref_last_name, r.first_name as ref_first_name,
           case when m.type = 'ORG' then (
             select count(*)::int from connection_accounts ca
               join mailboxes login on login.id = ca.account_mailbox_id and login.status <> 'deleted'
              where ca.shared_mailbox_id = m.id) else 0 end as connection_accounts
           ${query.withDirectoryFields ? sql`, m.service, m.mailbox_phone, m.paperless, m.directory_visible` : sql``}
      from mailboxes m
      left join mssante_addresses a on a.mailbox_id = m.id and a.withdrawn_at is null
      ${reference}
     where m.status in ('preregistered', 'valid') and m.is_test = false and m.type <> 'MED'
       ${query.structureId ? sql`and m.structure_id = ${query.structureId}::uuid` : sql``}
       ${query.afterId ? sql`and m.id > ${query.afterId}::uuid` : sql``}
     order by m.id
     limit ${query.limit}`,
  );
}

/** The national ids of these structures (the holders of ORG and APP boxes). */
export async function selectStructureIdentities(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return executor
    .select({ id: structures.id, finess: structures.finess, siret: structures.siret })
    .from(structures)
    .where(inArray(structures.id, [...ids]));
}
