import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { escapeLike } from '../../db/escape-like';
import { structureDomains, structures } from '../../db/schema';

export type StructureRow = typeof structures.$inferSelect;
export interface StructureRecord extends StructureRow {
  domains: string[];
}

const domainsAggregate = sql<string[]>`coalesce(
  (select array_agg(${structureDomains.domain} order by ${structureDomains.position})
     from ${structureDomains} where ${structureDomains.structureId} = ${structures.id}),
  '{}')`;

export async function findStructure(executor: Executor, id: string, options: { lock?: boolean } = {}) {
  const query = executor
    .select({ structure: structures, domains: domainsAggregate })
    .from(structures)
    .where(eq(structures.id, id));
  const [row] = options.lock ? await query.for('update', { of: structures }) : await query;
  return row ? { ...row.structure, domains: row.domains } : undefined;
}

export async function findExistingStructureIds(executor: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await executor
    .select({ id: structures.id })
    .from(structures)
    .where(inArray(structures.id, [...ids]));
  return rows.map((row) => row.id);
}

export async function listStructures(
  executor: Executor,
  options: {
    visibleIds: readonly string[] | undefined;
    q: string | undefined;
    after: CursorKey | undefined;
    limit: number;
  },
): Promise<StructureRecord[]> {
  const keyOrder = keyset([structures.name, structures.id], 'asc', options.after);
  const conditions: (SQL | undefined)[] = [
    options.visibleIds ? inArray(structures.id, [...options.visibleIds]) : undefined,
    options.q
      ? sql`(lower(${structures.name}) like ${'%' + escapeLike(options.q.toLowerCase()) + '%'}
             or ${structures.finess} = ${options.q} or ${structures.siret} = ${options.q}
             or exists (select 1 from ${structureDomains} where ${structureDomains.structureId} = ${structures.id}
                        and ${structureDomains.domain} like ${escapeLike(options.q.toLowerCase()) + '%'}))`
      : undefined,
    keyOrder.after,
  ];
  const rows = await executor
    .select({ structure: structures, domains: domainsAggregate })
    .from(structures)
    .where(and(...conditions))
    .orderBy(...keyOrder.orderBy)
    .limit(options.limit + 1);
  return rows.map((row) => ({ ...row.structure, domains: row.domains }));
}

export async function insertStructure(
  executor: Executor,
  values: typeof structures.$inferInsert,
): Promise<StructureRow> {
  const [row] = await executor.insert(structures).values(values).returning();
  return row!;
}

/** Compare-and-set on the version: a concurrent writer makes this return undefined. */
export async function updateStructureRow(
  executor: Executor,
  id: string,
  expectedVersion: number,
  values: Partial<typeof structures.$inferInsert>,
): Promise<StructureRow | undefined> {
  const [row] = await executor
    .update(structures)
    .set({ ...values, version: sql`${structures.version} + 1` })
    .where(and(eq(structures.id, id), eq(structures.version, expectedVersion)))
    .returning();
  return row;
}

export async function replaceStructureDomains(executor: Executor, structureId: string, domains: readonly string[]) {
  await executor.delete(structureDomains).where(eq(structureDomains.structureId, structureId));
  if (domains.length === 0) return;
  await executor
    .insert(structureDomains)
    .values(domains.map((domain, position) => ({ domain, structureId, position })));
}

/** Domains among `domains` that another structure already holds. */
export async function findDomainsHeldElsewhere(
  executor: Executor,
  domains: readonly string[],
  structureId: string | null,
) {
  if (domains.length === 0) return [];
  const rows = await executor
    .select({ domain: structureDomains.domain })
    .from(structureDomains)
    .where(
      and(
        inArray(structureDomains.domain, [...domains]),
        structureId ? sql`${structureDomains.structureId} <> ${structureId}` : undefined,
      ),
    );
  return rows.map((row) => row.domain);
}

export async function deleteStructureRow(executor: Executor, id: string): Promise<void> {
  await executor.delete(structures).where(eq(structures.id, id));
}
