export type {
  AlimentationRule,
  Issue,
  Locale,
  ProfessionalReference,
  ReferenceEntry,
  RuleContext,
  RuleSubject,
  Severity,
  SubjectCorrespondence,
  SubjectResponsible,
} from './rule-types';
export { ALIMENTATION_RULE_CODES, type AlimentationRuleCode } from './rule-codes';
export { ALIMENTATION_RULES } from './alimentation-rules';
export { evaluateMailbox, hasBlockingIssue, isFed, isPublishable, isRuleBroken } from './evaluate-mailbox';
export { isSameName, normalizeName } from './compare-names';
