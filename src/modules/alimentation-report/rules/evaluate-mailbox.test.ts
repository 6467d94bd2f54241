import { evaluateMailbox, hasBlockingIssue, isFed, isPublishable } from './evaluate-mailbox';
import { buildContext, buildSubject } from './rule-fixtures.test-support';

describe('isFed', () => {
  it('feeds active, non-test, non-MED boxes', () => {
    expect(isFed(buildSubject('PER'))).toBe(true);
    expect(isFed(buildSubject('ORG', { status: 'preregistered' }))).toBe(true);
  });

  it.each(['pending', 'rejected', 'deactivated', 'deleted'] as const)('does not feed a %s box', (status) => {
    expect(isFed(buildSubject('PER', { status }))).toBe(false);
  });

  it('does not feed test accounts nor MED logins', () => {
    expect(isFed(buildSubject('PER', { isTest: true }))).toBe(false);
    expect(isFed(buildSubject('MED'))).toBe(false);
  });
});

describe('evaluateMailbox', () => {
  const orgWithoutResponsible = buildSubject('ORG', { responsible: null, description: null });

  it('reports issues in English', () => {
    expect(evaluateMailbox(orgWithoutResponsible, buildContext(), { locale: 'en' })).toEqual([
      {
        mailboxId: 'mailbox-org',
        email: 'contact@ch-exemple.fr',
        rule: 'ORG_WITHOUT_RESPONSIBLE',
        severity: 'blocking',
        field: 'responsible',
        message: 'The shared box has no responsible person.',
      },
      {
        mailboxId: 'mailbox-org',
        email: 'contact@ch-exemple.fr',
        rule: 'ORG_WITHOUT_DESCRIPTION',
        severity: 'warning',
        field: 'description',
        message: 'The shared box has no description of its use.',
      },
    ]);
  });

  it('reports issues in French', () => {
    const messages = evaluateMailbox(orgWithoutResponsible, buildContext(), { locale: 'fr' }).map(
      (issue) => issue.message,
    );
    expect(messages).toEqual([
      "La boîte partagée n'a pas de responsable.",
      "La boîte partagée n'a pas de description de son usage.",
    ]);
  });

  it('defaults to English', () => {
    expect(evaluateMailbox(orgWithoutResponsible, buildContext())[0]?.message).toBe(
      'The shared box has no responsible person.',
    );
  });

  it('reports nothing on a box that is not fed', () => {
    expect(
      evaluateMailbox(buildSubject('ORG', { responsible: null, status: 'pending' }), buildContext(), { locale: 'en' }),
    ).toEqual([]);
    expect(evaluateMailbox(buildSubject('MED', { correspondence: null }), buildContext(), { locale: 'en' })).toEqual(
      [],
    );
    expect(
      evaluateMailbox(buildSubject('INT', { rpps: null, isTest: true }), buildContext(), { locale: 'en' }),
    ).toEqual([]);
  });

  it('keeps the reference rules silent when no reference is loaded', () => {
    const stranger = buildSubject('PER', { rpps: '10006122583', lastName: 'Martin' });
    const rules = (reference: ReturnType<typeof buildContext>['reference']) =>
      evaluateMailbox(stranger, buildContext({ reference }), { locale: 'en' }).map((issue) => issue.rule);
    expect(rules(null)).toEqual([]);
    expect(rules(buildContext().reference)).toEqual(['RPPS_NOT_IN_REFERENCE']);
  });
});

describe('hasBlockingIssue and isPublishable', () => {
  it('tells blocking issues from warnings', () => {
    expect(hasBlockingIssue([])).toBe(false);
    expect(hasBlockingIssue([{ severity: 'warning' }])).toBe(false);
    expect(hasBlockingIssue([{ severity: 'warning' }, { severity: 'blocking' }])).toBe(true);
  });

  it('publishes a fed box with an address and only warnings', () => {
    expect(isPublishable(buildSubject('PER', { rpps: null, adeli: '123456789' }), buildContext())).toBe(true);
  });

  it('does not publish a box with a blocking issue, without an address, or not fed', () => {
    expect(isPublishable(buildSubject('INT', { rpps: null }), buildContext())).toBe(false);
    expect(isPublishable(buildSubject('PER', { status: 'preregistered', correspondence: null }), buildContext())).toBe(
      false,
    );
    expect(isPublishable(buildSubject('MED'), buildContext())).toBe(false);
  });
});
