import type { AlimentationRule, Issue, Locale, RuleContext, RuleSubject } from './rule-types';
import { ALIMENTATION_RULES } from './alimentation-rules';
import { isActiveStatus } from './is-active-status';

/**
 * What is fed to the ANS, and so what is reported: active (pre-registered or valid), not a test
 * account (test addresses are never published), not MED (an operator-side login).
 */
export function isFed(subject: Pick<RuleSubject, 'status' | 'isTest' | 'type'>): boolean {
  return isActiveStatus(subject.status) && !subject.isTest && subject.type !== 'MED';
}

/** A rule's check only makes sense for the types it applies to. */
export function isRuleBroken(rule: AlimentationRule, subject: RuleSubject, context: RuleContext): boolean {
  return rule.appliesTo.includes(subject.type) && rule.check(subject, context);
}

/** Every issue the ANS would flag on this box; none for a box that is not fed. */
export function evaluateMailbox(
  subject: RuleSubject,
  context: RuleContext,
  options: { locale: Locale } = { locale: 'en' },
): Issue[] {
  if (!isFed(subject)) return [];
  return ALIMENTATION_RULES.filter((rule) => isRuleBroken(rule, subject, context)).map((rule) => ({
    mailboxId: subject.id,
    email: subject.email,
    rule: rule.code,
    severity: rule.severity,
    field: rule.field,
    message: rule.message[options.locale],
  }));
}

/** A box with a blocking issue stays out of the directory while the issue stands. */
export function hasBlockingIssue(issues: readonly Pick<Issue, 'severity'>[]): boolean {
  return issues.some((issue) => issue.severity === 'blocking');
}

/** The directory feed: fed boxes with an MSSanté address and no blocking issue. */
export function isPublishable(subject: RuleSubject, context: RuleContext): boolean {
  return isFed(subject) && subject.correspondence !== null && !hasBlockingIssue(evaluateMailbox(subject, context));
}
