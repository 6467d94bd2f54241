import type { Executor } from '../../db/database';
import { AppError } from '../../domain/errors/error-catalogue';
import type { MailboxType } from '../../domain/mailbox-vocabulary';
import type { QuotaFamily, Quotas } from '../structures/structures.schemas';
import { countActiveAddressesByType } from './correspondences.repository';

/** Which quota an address of this type uses; MED boxes have no MSSanté address, hence no quota. */
export function quotaFamilyOf(type: MailboxType): QuotaFamily | null {
  switch (type) {
    case 'PER':
    case 'INT':
      return 'personal';
    case 'ORG':
      return 'organisational';
    case 'APP':
      return 'applicative';
    case 'MED':
      return null;
  }
}

const TYPES_BY_FAMILY: Record<QuotaFamily, MailboxType[]> = {
  personal: ['PER', 'INT'],
  organisational: ['ORG'],
  applicative: ['APP'],
};

/** Addresses in use per family: active addresses held by the structure's boxes in a status that may hold one. */
export async function countAddressesByFamily(
  executor: Executor,
  structureId: string,
): Promise<Record<QuotaFamily, number>> {
  const rows = await countActiveAddressesByType(executor, structureId);
  const countOf = (family: QuotaFamily) =>
    rows.filter((row) => TYPES_BY_FAMILY[family].includes(row.type)).reduce((sum, row) => sum + row.count, 0);
  return {
    personal: countOf('personal'),
    organisational: countOf('organisational'),
    applicative: countOf('applicative'),
  };
}

/**
 * Refuses one more address of `type` when the structure's quota for its family is used up.
 * Call it inside the transaction that adds the address, after locking the structure row, so
 * that two concurrent additions cannot both take the last place.
 */
export async function assertQuotaAvailable(
  executor: Executor,
  structure: { id: string; quotas: Quotas },
  type: MailboxType,
): Promise<void> {
  const family = quotaFamilyOf(type);
  if (!family) return;
  const limit = structure.quotas[family];
  if (limit === null) return;
  const used = (await countAddressesByFamily(executor, structure.id))[family];
  if (used >= limit) {
    throw new AppError(
      'QUOTA_EXCEEDED',
      `The structure has used its ${limit} ${family} addresses`,
      [{ field: 'domain', code: 'QUOTA_EXCEEDED', message: `Quota ${family}: ${used} of ${limit} used` }],
      { family, used, limit },
    );
  }
}
