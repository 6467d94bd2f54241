import type { Database } from '../../db/database';
import type { Role } from './caller';

/** An active API key as authentication needs it: who, which role, which structures. */
export interface ActiveApiKey {
  id: string;
  role: Role;
  structureIds: string[];
}

/**
 * Where authentication finds API keys. Authentication (platform) owns this interface; the
 * api-keys module implements it (`modules/api-keys/api-key-store.ts`) and `app.ts` wires the two,
 * so platform never imports a module.
 */
export interface ApiKeyStore {
  /** The hash under which a key's secret is stored and looked up. */
  hashSecret(secret: string): string;
  /** The active (not revoked) key with this secret hash, if any. */
  findActiveBySecretHash(db: Database, secretHash: string): Promise<ActiveApiKey | undefined>;
  /** The `pg_notify` channel on which a revocation announces the revoked key's secret hash. */
  readonly revocationChannel: string;
}
