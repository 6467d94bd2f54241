import { isUniqueViolation, isForeignKeyViolation } from '../../db/errors';
import { recordAudit } from '../../platform/audit/audit';
import { assertOperator } from '../../platform/auth/authorization';
import { isOperator, visibleStructureIds } from '../../platform/auth/caller';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { assertIfMatch } from '../../shared/etag';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { assertStructureIdentity, domainTaken, normaliseDomain } from './structure-rules';
import { countAddressesByFamily } from '../correspondences/quota';
import type {
  CreateStructureBody,
  MssantePanel,
  QuotaFamily,
  Structure,
  UpdateStructureBody,
} from './structures.schemas';
import {
  deleteStructureRow,
  findDomainsHeldElsewhere,
  findStructure,
  insertStructure,
  listStructures as selectStructures,
  replaceStructureDomains,
  updateStructureRow,
  type StructureRecord,
} from './structures.repository';

export interface VersionedStructure {
  structure: Structure;
  version: number;
}

export function toStructure(record: StructureRecord): Structure {
  return {
    id: record.id,
    name: record.name,
    finess: record.finess,
    siret: record.siret,
    domains: record.domains,
    quotas: {
      personal: record.quotaPersonal,
      organisational: record.quotaOrganisational,
      applicative: record.quotaApplicative,
    },
    contactEmail: record.contactEmail,
    intExpiryRequired: record.intExpiryRequired,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

const versioned = (record: StructureRecord): VersionedStructure => ({
  structure: toStructure(record),
  version: record.version,
});

/** Domain writes race with other structures' writes: the primary key has the last word. */
async function withDomainUniqueness<T>(domains: string[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'structure_domains_pkey')) throw domainTaken(domains);
    throw error;
  }
}

export async function createStructure(
  deps: ServiceDependencies,
  context: RequestContext,
  body: CreateStructureBody,
): Promise<VersionedStructure> {
  assertOperator(context.caller);
  const domains = (body.domains ?? []).map(normaliseDomain);
  assertStructureIdentity({ finess: body.finess, siret: body.siret, domains });
  return withDomainUniqueness(domains, () =>
    deps.db.transaction(async (tx) => {
      const taken = await findDomainsHeldElsewhere(tx, domains, null);
      if (taken.length > 0) throw domainTaken(taken);
      const row = await insertStructure(tx, {
        name: body.name.trim(),
        finess: body.finess ?? null,
        siret: body.siret ?? null,
        quotaPersonal: body.quotas?.personal ?? null,
        quotaOrganisational: body.quotas?.organisational ?? null,
        quotaApplicative: body.quotas?.applicative ?? null,
        contactEmail: body.contactEmail?.trim() ?? null,
        intExpiryRequired: body.intExpiryRequired ?? false,
      });
      await replaceStructureDomains(tx, row.id, domains);
      const created = toStructure({ ...row, domains });
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'structure.created',
        targetType: 'structure',
        targetId: row.id,
        structureId: row.id,
        after: created,
      });
      return { structure: created, version: row.version };
    }),
  );
}

export async function getStructure(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
): Promise<VersionedStructure> {
  const record = await findStructure(deps.db, id);
  if (!record) throw new AppError('NOT_FOUND', 'Structure not found');
  return versioned(record);
}

export async function listStructures(
  deps: ServiceDependencies,
  context: RequestContext,
  query: { limit: number; cursor?: string; q?: string },
): Promise<Page<Structure>> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectStructures(deps.db, {
    visibleIds: visibleStructureIds(context.caller),
    q: query.q?.trim(),
    after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, (row) => [row.name, row.id], toStructure);
}

/** Admins manage their structure's identity; domains and quotas are the operator's commercial settings. */
function assertMayUpdate(context: RequestContext, body: UpdateStructureBody): void {
  if (!isOperator(context.caller) && (body.domains !== undefined || body.quotas !== undefined)) {
    throw new AppError('FORBIDDEN', 'Only the operator changes domains and quotas', [
      ...(body.domains !== undefined ? [{ field: 'domains', code: 'OPERATOR_ONLY', message: 'Ask the operator' }] : []),
      ...(body.quotas !== undefined ? [{ field: 'quotas', code: 'OPERATOR_ONLY', message: 'Ask the operator' }] : []),
    ]);
  }
}

export async function updateStructure(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
  body: UpdateStructureBody,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedStructure> {
  assertMayUpdate(context, body);
  const domains = body.domains?.map(normaliseDomain);
  assertStructureIdentity({ finess: body.finess, siret: body.siret, domains });
  return withDomainUniqueness(domains ?? [], () =>
    deps.db.transaction(async (tx) => {
      const current = await findStructure(tx, id, { lock: true });
      if (!current) throw new AppError('NOT_FOUND', 'Structure not found');
      assertIfMatch(ifMatch, current.version);
      if (domains) {
        const taken = await findDomainsHeldElsewhere(tx, domains, id);
        if (taken.length > 0) throw domainTaken(taken);
        await replaceStructureDomains(tx, id, domains);
      }
      const row = await updateStructureRow(tx, id, current.version, {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.finess !== undefined ? { finess: body.finess } : {}),
        ...(body.siret !== undefined ? { siret: body.siret } : {}),
        ...(body.quotas?.personal !== undefined ? { quotaPersonal: body.quotas.personal } : {}),
        ...(body.quotas?.organisational !== undefined ? { quotaOrganisational: body.quotas.organisational } : {}),
        ...(body.quotas?.applicative !== undefined ? { quotaApplicative: body.quotas.applicative } : {}),
        ...(body.contactEmail !== undefined ? { contactEmail: body.contactEmail?.trim() ?? null } : {}),
        ...(body.intExpiryRequired !== undefined ? { intExpiryRequired: body.intExpiryRequired } : {}),
        updatedAt: deps.clock.now(),
      });
      if (!row) throw new AppError('PRECONDITION_FAILED', 'The structure was changed meanwhile: fetch it again');
      const updated = { ...row, domains: domains ?? current.domains };
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'structure.updated',
        targetType: 'structure',
        targetId: id,
        structureId: id,
        before: toStructure(current),
        after: toStructure(updated),
      });
      return versioned(updated);
    }),
  );
}

export async function deleteStructure(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
  ifMatch: number[] | '*' | undefined,
): Promise<void> {
  assertOperator(context.caller);
  try {
    await deps.db.transaction(async (tx) => {
      const current = await findStructure(tx, id, { lock: true });
      if (!current) throw new AppError('NOT_FOUND', 'Structure not found');
      assertIfMatch(ifMatch, current.version);
      await deleteStructureRow(tx, id);
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'structure.deleted',
        targetType: 'structure',
        targetId: id,
        structureId: id,
        before: toStructure(current),
      });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new AppError('RESOURCE_IN_USE', 'The structure still has mailboxes: transfer or delete them first');
    }
    throw error;
  }
}

/** The MSSanté panel: the structure's domains and, per quota family, addresses used and still available. */
export async function getMssantePanel(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
): Promise<MssantePanel> {
  const { structure } = await getStructure(deps, context, id);
  const used = await countAddressesByFamily(deps.db, id);
  const usageOf = (family: QuotaFamily) => {
    const limit = structure.quotas[family];
    return { limit, used: used[family], available: limit === null ? null : Math.max(0, limit - used[family]) };
  };
  return {
    structureId: id,
    domains: structure.domains,
    quotas: {
      personal: usageOf('personal'),
      organisational: usageOf('organisational'),
      applicative: usageOf('applicative'),
    },
  };
}
