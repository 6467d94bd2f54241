import { AppError } from '../../domain/errors/error-catalogue';
import { canSeeStructure, canWriteStructure, isOperator, type Access, type Caller } from './caller';

/**
 * The one rule of scoping: another structure's data does not exist for the caller (404, never 403,
 * so that ids cannot be probed); within its own structures a reader may not write (403). A person
 * may be admin of one structure and reader of another: writing is checked per structure.
 */
export function assertStructureAccess(caller: Caller, structureId: string, access: Access, what = 'Resource'): void {
  if (!canSeeStructure(caller, structureId)) throw new AppError('NOT_FOUND', `${what} not found`);
  if (access === 'write' && !canWriteStructure(caller, structureId)) {
    throw new AppError('FORBIDDEN', 'A reader cannot change anything in this structure');
  }
}

/** Before the structure is known: refuses a caller who may write nowhere. */
export function assertCanWrite(caller: Caller): void {
  if (caller.role === 'reader') throw new AppError('FORBIDDEN', 'A reader cannot change anything');
}

export function assertOperator(caller: Caller): void {
  if (!isOperator(caller)) throw new AppError('FORBIDDEN', 'Only an operator can do this');
}
