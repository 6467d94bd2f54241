export const ROLES = ['operator', 'admin', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the API key, its role and, for admins and readers, the structures it covers. */
export interface Caller {
  readonly apiKeyId: string;
  readonly role: Role;
  readonly structureIds: readonly string[];
}

export type Access = 'read' | 'write';

export const isOperator = (caller: Caller) => caller.role === 'operator';

export function canSeeStructure(caller: Caller, structureId: string): boolean {
  return isOperator(caller) || caller.structureIds.includes(structureId);
}

/** The structures a list may show: `undefined` means all of them (operators). */
export function visibleStructureIds(caller: Caller): readonly string[] | undefined {
  return isOperator(caller) ? undefined : caller.structureIds;
}

/** Rank of rights, to refuse handing out more than one holds. */
const ROLE_RANK: Record<Role, number> = { reader: 1, admin: 2, operator: 3 };
export const roleIsAtMost = (role: Role, limit: Role) => ROLE_RANK[role] <= ROLE_RANK[limit];
