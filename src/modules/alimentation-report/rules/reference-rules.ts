import type { AlimentationRule, ReferenceEntry, RuleContext, RuleSubject } from './rule-types';
import { isBlank } from './is-blank';
import { isSameName } from './compare-names';

/** undefined when there is nothing to compare: no reference loaded, or no RPPS on the box. */
function lookUpReference(
  subject: RuleSubject,
  context: RuleContext,
): { entry: ReferenceEntry | undefined } | undefined {
  if (context.reference === null || subject.rpps === null || isBlank(subject.rpps)) return undefined;
  return { entry: context.reference.lookup(subject.rpps) };
}

export const RPPS_NOT_IN_REFERENCE: AlimentationRule = {
  code: 'RPPS_NOT_IN_REFERENCE',
  severity: 'blocking',
  appliesTo: ['PER', 'INT'],
  field: 'rpps',
  message: {
    en: 'This RPPS number is not in the loaded national reference of professionals.',
    fr: 'Ce numéro RPPS ne figure pas dans le référentiel national des professionnels chargé.',
  },
  check: (subject, context) => {
    const found = lookUpReference(subject, context);
    return found !== undefined && found.entry === undefined;
  },
};

export const NAME_MISMATCH_REFERENCE: AlimentationRule = {
  code: 'NAME_MISMATCH_REFERENCE',
  severity: 'warning',
  appliesTo: ['PER', 'INT'],
  field: 'lastName',
  message: {
    en: 'The national reference gives another exercise name for this RPPS number.',
    fr: "Le référentiel national indique un autre nom d'exercice pour ce numéro RPPS.",
  },
  check: (subject, context) => {
    const entry = lookUpReference(subject, context)?.entry;
    if (entry === undefined) return false;
    if (!isSameName(entry.lastName, subject.lastName)) return true;
    // The reference sometimes lacks the first name; compare it only when both sides have one.
    return (
      entry.firstName !== null &&
      !isBlank(entry.firstName) &&
      !isBlank(subject.firstName) &&
      !isSameName(entry.firstName, subject.firstName)
    );
  },
};
