import type { Executor } from '../../db/database';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { isoDate } from '../../shared/clock';
import { decodeCursor, encodeCursor } from '../../shared/pagination';
import { findReferenceInForce } from '../reference';
import { findStructure } from '../structures';
import { ALIMENTATION_RULE_CODES, type Issue, type Locale } from './rules';
import type { AlimentationReport, ReportFilters, ReportItem, ReportSummary } from './alimentation-report.schemas';
import { evaluateFedMailboxes, type EvaluatedMailbox } from './evaluate-fed-mailboxes';
import { addToSummary, createSummary } from './report-summary';

/** An issue's place in the report: its box, then the rule's rank in the catalogue. */
type IssueKey = readonly [mailboxId: string, ruleRank: number];

const ruleRank = (issue: Issue) => ALIMENTATION_RULE_CODES.indexOf(issue.rule);

function isAfter(key: IssueKey, cursor: IssueKey | undefined): boolean {
  if (!cursor) return true;
  return key[0] > cursor[0] || (key[0] === cursor[0] && key[1] > cursor[1]);
}

function matches(filters: ReportFilters, box: EvaluatedMailbox, issue: Issue): boolean {
  return (
    (filters.rule === undefined || issue.rule === filters.rule) &&
    (filters.severity === undefined || issue.severity === filters.severity) &&
    (filters.type === undefined || box.subject.type === filters.type)
  );
}

const toItem = (box: EvaluatedMailbox, issue: Issue): ReportItem => ({
  mailboxId: issue.mailboxId,
  email: issue.email,
  type: box.subject.type,
  rule: issue.rule,
  severity: issue.severity,
  field: issue.field,
  message: issue.message,
});

/** The structure exists (404 otherwise; the caller's access to it was checked with the path id). */
async function assertReportable(deps: ServiceDependencies, structureId: string): Promise<void> {
  if (!(await findStructure(deps.db, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
}

async function referenceOf(executor: Executor) {
  const extraction = await findReferenceInForce(executor);
  return extraction?.loadedAt
    ? { extractionId: extraction.id, sourceFile: extraction.sourceFile, loadedAt: extraction.loadedAt.toISOString() }
    : null;
}

/**
 * One page of the report with the summary of the whole report. Every fed box of the structure is
 * evaluated (the summary needs them all), in one read-only repeatable-read transaction: the page
 * and the summary describe the same snapshot. Issues are ordered by box id, then by the rule's
 * rank in the catalogue; the cursor is the last issue's (box id, rank), so the next page starts
 * right after it whatever changed meanwhile, without offsets.
 */
export async function getAlimentationReport(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  query: ReportFilters & { limit: number; cursor?: string },
  language: Locale,
): Promise<AlimentationReport> {
  await assertReportable(deps, structureId);
  const decoded = decodeCursor(query.cursor, 2);
  const cursor: IssueKey | undefined = decoded ? [String(decoded[0]), Number(decoded[1])] : undefined;
  const generatedAt = deps.clock.now();
  return deps.db.transaction(
    async (tx) => {
      const reference = await referenceOf(tx);
      const summary = createSummary();
      const items: ReportItem[] = [];
      let lastKey: IssueKey | undefined;
      let hasMore = false;
      const boxes = evaluateFedMailboxes(tx, {
        structureId,
        today: isoDate(generatedAt),
        locale: language,
        extractionId: reference?.extractionId ?? null,
      });
      for await (const batch of boxes) {
        for (const box of batch) {
          addToSummary(summary, box.issues);
          if (hasMore) continue;
          for (const issue of box.issues) {
            const key: IssueKey = [box.subject.id, ruleRank(issue)];
            if (!isAfter(key, cursor) || !matches(query, box, issue)) continue;
            if (items.length === query.limit) {
              hasMore = true;
              break;
            }
            items.push(toItem(box, issue));
            lastKey = key;
          }
        }
      }
      return {
        structureId,
        generatedAt: generatedAt.toISOString(),
        language,
        reference,
        summary,
        items,
        nextCursor: hasMore && lastKey ? encodeCursor([...lastKey]) : null,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

export interface ReportStream {
  rows: AsyncIterable<ReportItem>;
  /** Complete once `rows` has been read to the end. */
  summary: ReportSummary;
  reference: AlimentationReport['reference'];
  generatedAt: Date;
}

/**
 * Every matching issue, for the CSV and XLSX files. Boxes are read batch by batch as the file is
 * written (no transaction is held while a slow client downloads), so a box changed during the
 * download is reported as it was when its batch was read.
 */
export async function streamAlimentationReport(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  filters: ReportFilters,
  language: Locale,
): Promise<ReportStream> {
  await assertReportable(deps, structureId);
  const generatedAt = deps.clock.now();
  const reference = await referenceOf(deps.db);
  const summary = createSummary();
  async function* rows(): AsyncGenerator<ReportItem> {
    const boxes = evaluateFedMailboxes(deps.db, {
      structureId,
      today: isoDate(generatedAt),
      locale: language,
      extractionId: reference?.extractionId ?? null,
    });
    for await (const batch of boxes) {
      for (const box of batch) {
        addToSummary(summary, box.issues);
        for (const issue of box.issues) if (matches(filters, box, issue)) yield toItem(box, issue);
      }
    }
  }
  return { rows: rows(), summary, reference, generatedAt };
}
