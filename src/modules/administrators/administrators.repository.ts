import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, eq, sql } from 'drizzle-orm';
import { selectRows, type Database, type Executor } from '../../db/database';
import { administrators, structureAdministrators } from '../../db/schema';
import type { AdministratorAccess } from '../../platform/auth/administrator-store';

export type PersonRow = typeof administrators.$inferSelect;
export type StructureRole = (typeof structureAdministrators.$inferSelect)['role'];
export interface AdministratorRow extends PersonRow {
  structureId: string;
  role: StructureRole;
  grantedAt: Date;
}

/**
 * The person a token names and every role they hold, in one query (it runs on each request a
 * person makes): by national identifier, else by an e-mail registered without one.
 */
export async function findAdministratorAccess(
  db: Database,
  identity: { nationalId?: string; email?: string },
): Promise<AdministratorAccess | undefined> {
  const [row] = await selectRows<{
    id: string;
    national_id: string | null;
    email: string | null;
    is_operator: boolean;
    structures: { structureId: string; role: StructureRole }[];
  }>(
    db,
    sql`
    select p.id, p.national_id, p.email, p.is_operator,
           coalesce(jsonb_agg(jsonb_build_object('structureId', g.structure_id, 'role', g.role))
                    filter (where g.structure_id is not null), '[]'::jsonb) as structures
    from ${administrators} p
    left join ${structureAdministrators} g on g.administrator_id = p.id
    where p.id = coalesce(
      (select id from ${administrators} where national_id = ${identity.nationalId ?? null}::text),
      (select id from ${administrators} where email = ${identity.email ?? null}::text and national_id is null))
    group by p.id`,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    nationalId: row.national_id,
    email: row.email,
    isOperator: row.is_operator,
    structures: row.structures,
  };
}

/** The person with this identifier, made if missing (one of the two is given). */
export async function ensurePerson(
  executor: Executor,
  identity: { nationalId: string } | { email: string },
): Promise<PersonRow> {
  const column = 'nationalId' in identity ? administrators.nationalId : administrators.email;
  const value = 'nationalId' in identity ? identity.nationalId : identity.email;
  await executor.insert(administrators).values(identity).onConflictDoNothing({ target: column });
  const [row] = await executor.select().from(administrators).where(eq(column, value)).for('update');
  return row!;
}

const administratorColumns = {
  id: administrators.id,
  nationalId: administrators.nationalId,
  email: administrators.email,
  isOperator: administrators.isOperator,
  createdAt: administrators.createdAt,
  structureId: structureAdministrators.structureId,
  role: structureAdministrators.role,
  grantedAt: structureAdministrators.createdAt,
};

export async function findAdministrator(
  executor: Executor,
  structureId: string,
  administratorId: string,
): Promise<AdministratorRow | undefined> {
  const [row] = await executor
    .select(administratorColumns)
    .from(structureAdministrators)
    .innerJoin(administrators, eq(administrators.id, structureAdministrators.administratorId))
    .where(
      and(
        eq(structureAdministrators.structureId, structureId),
        eq(structureAdministrators.administratorId, administratorId),
      ),
    );
  return row;
}

/** Gives `role` on the structure, or changes the role held; answers the role held before, if any. */
export async function upsertGrant(
  executor: Executor,
  values: { structureId: string; administratorId: string; role: StructureRole },
): Promise<StructureRole | undefined> {
  const [before] = await executor
    .select({ role: structureAdministrators.role })
    .from(structureAdministrators)
    .where(
      and(
        eq(structureAdministrators.structureId, values.structureId),
        eq(structureAdministrators.administratorId, values.administratorId),
      ),
    );
  await executor
    .insert(structureAdministrators)
    .values(values)
    .onConflictDoUpdate({
      target: [structureAdministrators.structureId, structureAdministrators.administratorId],
      set: { role: values.role },
    });
  return before?.role;
}

export async function deleteGrant(executor: Executor, structureId: string, administratorId: string): Promise<void> {
  await executor
    .delete(structureAdministrators)
    .where(
      and(
        eq(structureAdministrators.structureId, structureId),
        eq(structureAdministrators.administratorId, administratorId),
      ),
    );
}

/** A person who holds no role any more is forgotten: their identifier is kept nowhere but the audit trail. */
export async function deletePersonWithoutRole(executor: Executor, administratorId: string): Promise<void> {
  await executor.execute(sql`
    delete from ${administrators} p
    where p.id = ${administratorId} and not p.is_operator
      and not exists (select 1 from ${structureAdministrators} g where g.administrator_id = p.id)`);
}

export async function listAdministrators(
  executor: Executor,
  structureId: string,
  after: CursorKey | undefined,
  limit: number,
): Promise<AdministratorRow[]> {
  const keyOrder = keyset([structureAdministrators.createdAt, administrators.id], 'asc', after);
  return executor
    .select(administratorColumns)
    .from(structureAdministrators)
    .innerJoin(administrators, eq(administrators.id, structureAdministrators.administratorId))
    .where(and(eq(structureAdministrators.structureId, structureId), keyOrder.after))
    .orderBy(...keyOrder.orderBy)
    .limit(limit + 1);
}

export async function setOperator(
  executor: Executor,
  administratorId: string,
  isOperator: boolean,
): Promise<PersonRow> {
  const [row] = await executor
    .update(administrators)
    .set({ isOperator })
    .where(eq(administrators.id, administratorId))
    .returning();
  return row!;
}

export async function findOperator(executor: Executor, administratorId: string): Promise<PersonRow | undefined> {
  const [row] = await executor
    .select()
    .from(administrators)
    .where(and(eq(administrators.id, administratorId), eq(administrators.isOperator, true)))
    .for('update');
  return row;
}

export async function listOperators(
  executor: Executor,
  after: CursorKey | undefined,
  limit: number,
): Promise<PersonRow[]> {
  const keyOrder = keyset([administrators.createdAt, administrators.id], 'asc', after);
  return executor
    .select()
    .from(administrators)
    .where(and(eq(administrators.isOperator, true), keyOrder.after))
    .orderBy(...keyOrder.orderBy)
    .limit(limit + 1);
}
