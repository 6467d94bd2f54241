import type { LinkableMailbox } from '../connection-accounts/connection-account-rules';
import { checkDelegate, checkDelegates, checkDelegator } from './delegate-rules';

const OWNER = { id: 'owner', structureId: 's1' };
const box = (overrides: Partial<LinkableMailbox> = {}): LinkableMailbox => ({
  id: 'd',
  structureId: 's1',
  type: 'PER',
  status: 'valid',
  ...overrides,
});

describe('delegate rules', () => {
  it('gives delegates to nominative boxes only', () => {
    expect(['PER', 'MED', 'INT'].map((type) => checkDelegator({ type: type as 'PER' }))).toEqual([null, null, null]);
    expect(checkDelegator({ type: 'ORG' })?.code).toBe('NOT_A_NOMINATIVE_MAILBOX');
  });

  it.each([
    ['unknown', undefined, 'DELEGATE_UNKNOWN'],
    ['of another structure', box({ structureId: 's2' }), 'DELEGATE_UNKNOWN'],
    ['the owner itself', box({ id: 'owner' }), 'SELF_DELEGATION'],
    ['ORG', box({ type: 'ORG' }), 'DELEGATE_NOT_NOMINATIVE'],
    ['deactivated', box({ status: 'deactivated' }), 'DELEGATE_INACTIVE'],
    ['deleted', box({ status: 'deleted' }), 'DELEGATE_INACTIVE'],
    ['rejected', box({ status: 'rejected' }), 'DELEGATE_INACTIVE'],
    ['MED, pending', box({ type: 'MED', status: 'pending' }), null],
    ['INT, pre-registered', box({ type: 'INT', status: 'preregistered' }), null],
  ])('judges a delegate %s', (_case, delegate, code) => {
    expect(checkDelegate(OWNER, delegate, 'AB')?.code ?? null).toBe(code);
  });

  it('refuses a delegate listed twice', () => {
    const issues = checkDelegates(OWNER, [
      { delegate: box(), field: 'AB' },
      { delegate: box(), field: 'AB' },
    ]);
    expect(issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_DELEGATE' })]);
  });
});
