import { AppError } from '../../domain/errors/error-catalogue';
import { canSeeStructure, isOperator, type Access, type Caller } from './caller';

/**
 * The one rule of scoping: another structure's data does not exist for the caller (404, never 403,
 * so that ids cannot be probed); within its own structures a reader may not write (403).
 */
export function assertStructureAccess(caller: Caller, structureId: string, access: Access, what = 'Resource'): void {
  if (!canSeeStructure(caller, structureId)) throw new AppError('NOT_FOUND', `${what} not found`);
  if (access === 'write') assertCanWrite(caller);
}

export function assertCanWrite(caller: Caller): void {
  if (caller.role === 'reader') throw new AppError('FORBIDDEN', 'A reader key cannot change anything');
}

export function assertOperator(caller: Caller): void {
  if (!isOperator(caller)) throw new AppError('FORBIDDEN', 'Only an operator key can do this');
}
