import {
  checkConnectionAccount,
  checkConnectionAccounts,
  checkDefaults,
  checkSharedMailbox,
  type LinkableMailbox,
} from './connection-account-rules';

const box = (overrides: Partial<LinkableMailbox> = {}): LinkableMailbox => ({
  id: 'a',
  structureId: 's1',
  type: 'PER',
  status: 'valid',
  ...overrides,
});

describe('connection account rules', () => {
  it('opens only ORG and APP boxes through connection accounts', () => {
    expect(checkSharedMailbox({ type: 'ORG' })).toBeNull();
    expect(checkSharedMailbox({ type: 'APP' })).toBeNull();
    expect(checkSharedMailbox({ type: 'PER' })?.code).toBe('NOT_A_SHARED_MAILBOX');
  });

  it.each([
    ['unknown', undefined, 'ACCOUNT_UNKNOWN'],
    ['of another structure', box({ structureId: 's2' }), 'ACCOUNT_UNKNOWN'],
    ['ORG', box({ type: 'ORG' }), 'ACCOUNT_NOT_NOMINATIVE'],
    ['APP', box({ type: 'APP' }), 'ACCOUNT_NOT_NOMINATIVE'],
    ['deleted', box({ status: 'deleted' }), 'ACCOUNT_INACTIVE'],
    ['rejected', box({ status: 'rejected' }), 'ACCOUNT_INACTIVE'],
    ['PER', box(), null],
    ['MED, deactivated', box({ type: 'MED', status: 'deactivated' }), null],
    ['INT, pre-registered', box({ type: 'INT', status: 'preregistered' }), null],
  ])('judges an account %s', (_case, account, code) => {
    expect(checkConnectionAccount({ structureId: 's1' }, account, 'AH')?.code ?? null).toBe(code);
  });

  it('refuses an account listed twice, naming the second', () => {
    const issues = checkConnectionAccounts({ structureId: 's1' }, [
      { account: box(), isDefault: false, field: 'items.0.mailboxId', defaultField: 'items.0.isDefault' },
      { account: box({ id: 'b' }), isDefault: false, field: 'items.1.mailboxId', defaultField: 'items.1.isDefault' },
      { account: box(), isDefault: false, field: 'items.2.email', defaultField: 'items.2.isDefault' },
    ]);
    expect(issues).toEqual([expect.objectContaining({ field: 'items.2.email', code: 'DUPLICATE_ACCOUNT' })]);
  });

  it('refuses a second default for a login', () => {
    const wanted = [
      { account: box(), isDefault: true, field: 'mailboxId', defaultField: 'isDefault' },
      { account: box({ id: 'b' }), isDefault: false, field: 'mailboxId', defaultField: 'isDefault' },
    ];
    expect(
      checkDefaults(
        wanted,
        new Map([
          ['a', 'org-1'],
          ['b', 'org-2'],
        ]),
      ),
    ).toEqual([expect.objectContaining({ field: 'isDefault', code: 'DEFAULT_TAKEN' })]);
    expect(checkDefaults(wanted, new Map())).toEqual([]);
  });
});
