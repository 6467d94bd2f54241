import type { Database } from '../../db/database';
import type { StructureRole } from './caller';

/** A person who administers, and their roles, as authentication reads them at each request. */
export interface AdministratorAccess {
  id: string;
  nationalId: string | null;
  email: string | null;
  isOperator: boolean;
  structures: { structureId: string; role: StructureRole }[];
}

/**
 * Where authentication finds the people a token names. Authentication (platform) owns this
 * interface; the administrators module implements it and `app.ts` wires the two, like ApiKeyStore.
 */
export interface AdministratorStore {
  /**
   * The person with this national identifier; failing that, the one registered by this e-mail
   * without a national identifier (an e-mail never stands in for a number someone was registered by).
   */
  findByIdentity(
    db: Database,
    identity: { nationalId?: string; email?: string },
  ): Promise<AdministratorAccess | undefined>;
}
