import { AppError } from '../../domain/errors/error-catalogue';
import { isValidRpps } from '../../domain/national-identifiers';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { AddAdministratorBody, AddOperatorBody, Administrator, Operator } from './administrators.schemas';
import {
  deleteGrant,
  deletePersonWithoutRole,
  ensurePerson,
  findAdministrator,
  findOperator,
  listAdministrators as selectAdministrators,
  listOperators as selectOperators,
  setOperator,
  upsertGrant,
  type AdministratorRow,
  type PersonRow,
} from './administrators.repository';

const toAdministrator = (row: AdministratorRow): Administrator => ({
  id: row.id,
  nationalId: row.nationalId,
  email: row.email,
  structureId: row.structureId,
  role: row.role,
  createdAt: row.grantedAt.toISOString(),
});

const toOperator = (row: PersonRow): Operator => ({
  id: row.id,
  nationalId: row.nationalId,
  email: row.email,
  createdAt: row.createdAt.toISOString(),
});

/** Exactly one of the two names a person; an RPPS-based idNat must carry a valid check key. */
function identityOf(body: { nationalId?: string; email?: string }): { nationalId: string } | { email: string } {
  if ((body.nationalId === undefined) === (body.email === undefined)) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'Name the person by nationalId or by email', [
      {
        field: 'nationalId',
        code: 'ONE_IDENTIFIER_REQUIRED',
        message: 'Give nationalId or email, not both, not neither',
      },
    ]);
  }
  if (body.nationalId !== undefined) {
    if (body.nationalId.startsWith('8') && !isValidRpps(body.nationalId.slice(1))) {
      throw new AppError('BUSINESS_RULE_VIOLATED', 'This national identifier is not a valid RPPS', [
        { field: 'nationalId', code: 'INVALID_RPPS', message: 'The RPPS check key is wrong' },
      ]);
    }
    return { nationalId: body.nationalId };
  }
  return { email: body.email!.toLowerCase() };
}

/** Gives a person a role on a structure (or changes it); answers whether the role is new. */
export async function addAdministrator(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  body: AddAdministratorBody,
): Promise<{ administrator: Administrator; created: boolean }> {
  const identity = identityOf(body);
  return deps.db.transaction(async (tx) => {
    const person = await ensurePerson(tx, identity);
    const before = await findAdministrator(tx, structureId, person.id);
    await upsertGrant(tx, { structureId, administratorId: person.id, role: body.role });
    const after = toAdministrator((await findAdministrator(tx, structureId, person.id))!);
    if (before?.role !== body.role) {
      await recordAudit(tx, deps.clock, context.actor, {
        action: before ? 'administrator.role_changed' : 'administrator.added',
        targetType: 'administrator',
        targetId: person.id,
        structureId,
        before: before ? toAdministrator(before) : null,
        after,
      });
    }
    return { administrator: after, created: before === undefined };
  });
}

export async function listAdministrators(
  deps: ServiceDependencies,
  structureId: string,
  query: { limit: number; cursor?: string },
): Promise<Page<Administrator>> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectAdministrators(deps.db, structureId, after, query.limit);
  return toPage(rows, query.limit, (row) => [row.grantedAt.toISOString(), row.id], toAdministrator);
}

/** Takes the role away: the person's next request on this structure is refused. */
export async function removeAdministrator(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  administratorId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const existing = await findAdministrator(tx, structureId, administratorId);
    if (!existing) throw new AppError('NOT_FOUND', 'Administrator not found');
    await deleteGrant(tx, structureId, administratorId);
    await deletePersonWithoutRole(tx, administratorId);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'administrator.removed',
      targetType: 'administrator',
      targetId: administratorId,
      structureId,
      before: toAdministrator(existing),
      after: null,
    });
  });
}

export async function addOperator(
  deps: ServiceDependencies,
  context: RequestContext,
  body: AddOperatorBody,
): Promise<{ operator: Operator; created: boolean }> {
  const identity = identityOf(body);
  return deps.db.transaction(async (tx) => {
    const person = await ensurePerson(tx, identity);
    if (person.isOperator) return { operator: toOperator(person), created: false };
    const operator = toOperator(await setOperator(tx, person.id, true));
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'operator.added',
      targetType: 'operator',
      targetId: person.id,
      after: operator,
    });
    return { operator, created: true };
  });
}

export async function listOperators(
  deps: ServiceDependencies,
  query: { limit: number; cursor?: string },
): Promise<Page<Operator>> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectOperators(deps.db, after, query.limit);
  return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], toOperator);
}

export async function removeOperator(
  deps: ServiceDependencies,
  context: RequestContext,
  administratorId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const existing = await findOperator(tx, administratorId);
    if (!existing) throw new AppError('NOT_FOUND', 'Operator not found');
    await setOperator(tx, administratorId, false);
    await deletePersonWithoutRole(tx, administratorId);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'operator.removed',
      targetType: 'operator',
      targetId: administratorId,
      before: toOperator(existing),
      after: null,
    });
  });
}
