import type { MailboxStatus, MailboxType } from '../../../domain/mailbox-vocabulary';
import type { AlimentationRuleCode } from './rule-codes';

/** The language of the messages an admin reads in the report. */
export type Locale = 'en' | 'fr';

export interface SubjectResponsible {
  lastName: string;
  firstName: string;
  profession?: string | null;
  rpps?: string | null;
  adeli?: string | null;
}

export interface SubjectCorrespondence {
  localPart: string;
  domain: string;
  address: string;
}

/**
 * A snapshot of one box, as the rules need it. Built by the report service from the
 * database so that the rules stay pure and can be tested without one.
 */
export interface RuleSubject {
  id: string;
  email: string;
  type: MailboxType;
  status: MailboxStatus;
  isTest: boolean;
  rpps: string | null;
  adeli: string | null;
  lastName: string;
  firstName: string;
  profession: string | null;
  /** YYYY-MM-DD */
  expiresAt: string | null;
  responsible: SubjectResponsible | null;
  description: string | null;
  correspondence: SubjectCorrespondence | null;
  connectionAccountCount: number;
}

/** What the loaded reference extraction knows about one RPPS. */
export interface ReferenceEntry {
  lastName: string;
  firstName: string | null;
  profession: string | null;
}

export interface ProfessionalReference {
  lookup(rpps: string): ReferenceEntry | undefined;
}

export interface RuleContext {
  structure: { finess: string | null; siret: string | null };
  /** YYYY-MM-DD, passed in so that the rules never read the clock. */
  today: string;
  /** null when no reference extraction is loaded: the reference rules are then silent. */
  reference: ProfessionalReference | null;
}

export type Severity = 'blocking' | 'warning';

export interface AlimentationRule {
  code: AlimentationRuleCode;
  severity: Severity;
  appliesTo: readonly MailboxType[];
  /** The field an admin should look at to fix the issue. */
  field: string;
  message: Readonly<Record<Locale, string>>;
  /**
   * true = the issue is found. Only called for types in `appliesTo`
   * (see `isRuleBroken`), so a check does not re-test the type.
   */
  check(subject: RuleSubject, context: RuleContext): boolean;
}

/** One line of the alimentation report: a box, the rule it breaks and how badly (the `issues` of the API's answer). */
export interface Issue {
  mailboxId: string;
  email: string;
  rule: AlimentationRuleCode;
  severity: Severity;
  field: string;
  message: string;
}
