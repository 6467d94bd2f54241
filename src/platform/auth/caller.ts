export const ROLES = ['operator', 'admin', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** What a person may be on one structure (operators are operator-wide, never per structure). */
export const STRUCTURE_ROLES = ['admin', 'reader'] as const;
export type StructureRole = (typeof STRUCTURE_ROLES)[number];

/** An API key, or a person signed in with an OpenID Connect provider (an administrator). */
export type CallerKind = 'api_key' | 'person';

/**
 * Who is calling, whatever the credential: a key or a person ends up as the same Caller, and every
 * rule reads only this. `role` is the highest the caller holds; `structureIds` the structures it
 * sees and `writableStructureIds` those it may change (all of them for an admin key, none for a
 * reader key, per structure for a person).
 */
export interface Caller {
  readonly kind: CallerKind;
  /** The key's id or the person's id: what idempotency records and `createdBy` columns keep. */
  readonly id: string;
  /** How audit and events name the caller: the key's id, or the person's national id (else e-mail). */
  readonly actorId: string;
  readonly role: Role;
  readonly structureIds: readonly string[];
  readonly writableStructureIds: readonly string[];
}

export type Access = 'read' | 'write';

export const isOperator = (caller: Caller) => caller.role === 'operator';

export function canSeeStructure(caller: Caller, structureId: string): boolean {
  return isOperator(caller) || caller.structureIds.includes(structureId);
}

export function canWriteStructure(caller: Caller, structureId: string): boolean {
  return isOperator(caller) || caller.writableStructureIds.includes(structureId);
}

/** The structures a list may show: `undefined` means all of them (operators). */
export function visibleStructureIds(caller: Caller): readonly string[] | undefined {
  return isOperator(caller) ? undefined : caller.structureIds;
}

/** A key's Caller: one role over all its structures. */
export function apiKeyCaller(key: { id: string; role: Role; structureIds: readonly string[] }): Caller {
  return {
    kind: 'api_key',
    id: key.id,
    actorId: key.id,
    role: key.role,
    structureIds: key.structureIds,
    writableStructureIds: key.role === 'reader' ? [] : key.structureIds,
  };
}

/** A person's Caller, from the roles Balise's administrators give them (read at each request). */
export function personCaller(person: {
  id: string;
  actorId: string;
  isOperator: boolean;
  structures: readonly { structureId: string; role: StructureRole }[];
}): Caller {
  const writable = person.structures.filter((grant) => grant.role === 'admin').map((grant) => grant.structureId);
  return {
    kind: 'person',
    id: person.id,
    actorId: person.actorId,
    role: person.isOperator ? 'operator' : writable.length > 0 ? 'admin' : 'reader',
    structureIds: person.structures.map((grant) => grant.structureId),
    writableStructureIds: writable,
  };
}

/** Rank of rights, to refuse handing out more than one holds. */
const ROLE_RANK: Record<Role, number> = { reader: 1, admin: 2, operator: 3 };
export const roleIsAtMost = (role: Role, limit: Role) => ROLE_RANK[role] <= ROLE_RANK[limit];
