import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, arrayContained, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/database';
import { preparedPerHandle } from '../../db/prepared-statements';
import { apiKeys } from '../../db/schema';
import type { ActiveApiKey } from '../../platform/auth/api-key-store';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

function prepareFindBySecretHash(db: Database) {
  return db
    .select({ id: apiKeys.id, role: apiKeys.role, structureIds: apiKeys.structureIds })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, sql.placeholder('secretHash')), isNull(apiKeys.revokedAt)))
    .limit(1)
    .prepare('find_api_key_by_secret_hash');
}
// Every request authenticates: keep one prepared statement per database handle.
const preparedLookup = preparedPerHandle(prepareFindBySecretHash);

export async function findActiveApiKeyBySecretHash(
  db: Database,
  secretHash: string,
): Promise<ActiveApiKey | undefined> {
  const [key] = await preparedLookup(db).execute({ secretHash });
  return key;
}

/** The channel on which a revocation is announced to every API process (delivered on commit). */
export const API_KEY_REVOKED_CHANNEL = 'balise_api_key_revoked';

export async function announceApiKeyRevoked(executor: Executor, secretHash: string): Promise<void> {
  await executor.execute(sql`select pg_notify(${API_KEY_REVOKED_CHANNEL}, ${secretHash})`);
}

export async function insertApiKey(executor: Executor, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [row] = await executor.insert(apiKeys).values(values).returning();
  return row!;
}

/** Inserts unless a key with this secret exists; answers the row either way. */
export async function ensureApiKey(executor: Executor, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  await executor.insert(apiKeys).values(values).onConflictDoNothing({ target: apiKeys.secretHash });
  const [row] = await executor.select().from(apiKeys).where(eq(apiKeys.secretHash, values.secretHash));
  return row!;
}

export async function findApiKeyById(executor: Executor, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await executor.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

/** Newest first; `withinStructures` keeps the keys whose structures all lie inside the given set. */
export async function listApiKeys(
  executor: Executor,
  options: {
    withinStructures: readonly string[] | undefined;
    before: CursorKey | undefined;
    limit: number;
  },
): Promise<ApiKeyRow[]> {
  const keyOrder = keyset([apiKeys.createdAt, apiKeys.id], 'desc', options.before);
  const conditions = [
    options.withinStructures
      ? and(sql`${apiKeys.role} <> 'operator'`, arrayContained(apiKeys.structureIds, [...options.withinStructures]))
      : undefined,
    keyOrder.after,
  ];
  return executor
    .select()
    .from(apiKeys)
    .where(and(...conditions))
    .orderBy(...keyOrder.orderBy)
    .limit(options.limit + 1);
}

export async function markApiKeyRevoked(executor: Executor, id: string, at: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await executor
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}
