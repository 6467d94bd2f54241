import { ALIMENTATION_RULE_CODES, hasBlockingIssue, type Issue } from './rules';
import type { ReportSummary } from './alimentation-report.schemas';

/** Counts of the whole report, filled box by box during the pass. */
export function createSummary(): ReportSummary {
  return {
    byRule: Object.fromEntries(ALIMENTATION_RULE_CODES.map((code) => [code, 0])),
    bySeverity: { blocking: 0, warning: 0 },
    mailboxesWithBlockingIssues: 0,
    mailboxesWithIssues: 0,
    fedMailboxes: 0,
  };
}

export function addToSummary(summary: ReportSummary, issues: readonly Issue[]): void {
  summary.fedMailboxes += 1;
  if (issues.length === 0) return;
  summary.mailboxesWithIssues += 1;
  if (hasBlockingIssue(issues)) summary.mailboxesWithBlockingIssues += 1;
  const byRule = summary.byRule as Record<string, number>;
  for (const issue of issues) {
    byRule[issue.rule] = (byRule[issue.rule] ?? 0) + 1;
    summary.bySeverity[issue.severity] += 1;
  }
}
