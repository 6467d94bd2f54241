import type { Executor } from '../../db/database';
import { recordAudit } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import {
  canWriteStructure,
  isOperator,
  roleIsAtMost,
  visibleStructureIds,
  type Caller,
} from '../../platform/auth/caller';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { findExistingStructureIds } from '../structures';
import { generateApiKeyPublicId, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import type { ApiKey, CreateApiKeyBody, CreatedApiKey } from './api-keys.schemas';
import {
  announceApiKeyRevoked,
  ensureApiKey,
  findApiKeyById,
  insertApiKey,
  listApiKeys as selectApiKeys,
  markApiKeyRevoked,
  type ApiKeyRow,
} from './api-keys.repository';

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    structureIds: row.structureIds,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** What the audit trail keeps of a key: never its secret or hash. */
const auditedKey = (row: ApiKeyRow) => ({ ...toApiKey(row) });

/** A key may be managed by operators, and by admins of every structure it covers. */
function canManage(caller: Caller, key: Pick<ApiKeyRow, 'role' | 'structureIds'>): boolean {
  if (isOperator(caller)) return true;
  return key.role !== 'operator' && key.structureIds.every((id) => canWriteStructure(caller, id));
}

function assertCanGrant(caller: Caller, body: CreateApiKeyBody): void {
  if (!roleIsAtMost(body.role, caller.role) || !canManage(caller, body)) {
    throw new AppError('FORBIDDEN', 'Nobody creates a key with more rights than their own');
  }
  if (body.role !== 'operator' && body.structureIds.length === 0) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'An admin or reader key covers at least one structure', [
      { field: 'structureIds', code: 'STRUCTURES_REQUIRED', message: 'List the structures this key covers' },
    ]);
  }
  if (body.role === 'operator' && body.structureIds.length > 0) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'An operator key covers every structure', [
      { field: 'structureIds', code: 'STRUCTURES_FORBIDDEN', message: 'Leave structureIds empty for an operator key' },
    ]);
  }
}

export async function createApiKey(
  deps: ServiceDependencies,
  context: RequestContext,
  body: CreateApiKeyBody,
): Promise<CreatedApiKey> {
  assertCanGrant(context.caller, body);
  const secret = generateApiKeySecret();
  return deps.db.transaction(async (tx) => {
    const existing = await findExistingStructureIds(tx, body.structureIds);
    const unknown = body.structureIds.filter((id) => !existing.includes(id));
    if (unknown.length > 0) {
      throw new AppError(
        'BUSINESS_RULE_VIOLATED',
        'Some structures do not exist',
        unknown.map((id) => ({
          field: 'structureIds',
          code: 'STRUCTURE_UNKNOWN',
          message: `No structure ${id}`,
        })),
      );
    }
    const row = await insertApiKey(tx, {
      name: body.name,
      role: body.role,
      structureIds: body.structureIds,
      secretHash: hashApiKeySecret(secret),
      prefix: generateApiKeyPublicId(),
      createdBy: context.caller.id,
    });
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: row.id,
      after: auditedKey(row),
    });
    return { ...toApiKey(row), key: secret };
  });
}

export async function listApiKeys(
  deps: ServiceDependencies,
  context: RequestContext,
  query: { limit: number; cursor?: string },
): Promise<Page<ApiKey>> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectApiKeys(deps.db, {
    withinStructures: visibleStructureIds(context.caller),
    before: after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], toApiKey);
}

/** Answers the revoked key's secret hash, for the caller to evict from its cache once committed. */
export async function revokeApiKey(
  deps: ServiceDependencies,
  context: RequestContext,
  apiKeyId: string,
): Promise<string> {
  return deps.db.transaction(async (tx) => {
    const key = await findApiKeyById(tx, apiKeyId);
    if (!key || !canManage(context.caller, key)) throw new AppError('NOT_FOUND', 'API key not found');
    const revoked = await markApiKeyRevoked(tx, apiKeyId, deps.clock.now());
    if (!revoked)
      throw new AppError('INVALID_TRANSITION', 'This key is already revoked', undefined, { currentState: 'revoked' });
    // Every API process drops the key from its cache when this commits.
    await announceApiKeyRevoked(tx, key.secretHash);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: apiKeyId,
      before: auditedKey(key),
      after: auditedKey(revoked),
    });
    return key.secretHash;
  });
}

/** At start-up: make sure the operator key named by BALISE_BOOTSTRAP_API_KEY exists (a revoked one stays revoked). */
export async function ensureBootstrapApiKey(executor: Executor, secret: string): Promise<ApiKeyRow> {
  const row = await ensureApiKey(executor, {
    name: 'bootstrap',
    role: 'operator',
    structureIds: [],
    secretHash: hashApiKeySecret(secret),
    prefix: generateApiKeyPublicId(),
  });
  return row;
}
