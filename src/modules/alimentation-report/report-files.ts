import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadExcelJs } from '../../platform/spreadsheets/load-exceljs';
import { format } from 'fast-csv';
import { neutraliseFormula } from '../../shared/spreadsheet-safe-text';
import { ALIMENTATION_RULES, type Locale } from './rules';
import type { ReportItem } from './alimentation-report.schemas';
import type { ReportStream } from './alimentation-report.service';

const HEADERS: Record<Locale, string[]> = {
  en: ['Mailbox id', 'Reference address', 'Type', 'Rule', 'Severity', 'Field', 'Message'],
  fr: ['Identifiant de la boîte', 'Adresse de référence', 'Type', 'Règle', 'Sévérité', 'Champ', 'Message'],
};
const SEVERITY_LABELS: Record<Locale, Record<ReportItem['severity'], string>> = {
  en: { blocking: 'blocking', warning: 'warning' },
  fr: { blocking: 'bloquante', warning: 'avertissement' },
};

/** One issue's cells, for both files: the address is the box's own text, so it may look like a formula. */
const toCells = (item: ReportItem, language: Locale) =>
  [
    item.mailboxId,
    item.email,
    item.type,
    item.rule,
    SEVERITY_LABELS[language][item.severity],
    item.field,
    item.message,
  ].map(neutraliseFormula);

async function* csvRecords(report: ReportStream, language: Locale): AsyncGenerator<string[]> {
  yield HEADERS[language];
  for await (const item of report.rows) yield toCells(item, language);
}

/** `;`-separated, UTF-8 with a BOM, CRLF: what French Excel opens with a double click (as the loaduser export). */
export async function writeReportCsv(report: ReportStream, language: Locale, out: Writable): Promise<void> {
  const formatter = format<string[], string[]>({
    delimiter: ';',
    rowDelimiter: '\r\n',
    includeEndRowDelimiter: true,
    writeBOM: true,
  });
  await pipeline(Readable.from(csvRecords(report, language)), formatter, out);
}

/**
 * Sheet "Issues" (one row per issue, committed as it comes, waiting whenever `out` asks to),
 * then sheet "Summary" with the counts per rule, known once every box has been read.
 */
export async function writeReportXlsx(report: ReportStream, language: Locale, out: Writable): Promise<void> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const issues = workbook.addWorksheet(language === 'fr' ? 'Anomalies' : 'Issues', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  issues.columns = [38, 36, 6, 32, 14, 24, 90].map((width) => ({ width }));
  const header = issues.addRow(HEADERS[language]);
  header.font = { bold: true };
  header.commit();
  for await (const item of report.rows) {
    issues.addRow(toCells(item, language)).commit();
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  issues.commit();
  const summarySheet = workbook.addWorksheet(language === 'fr' ? 'Synthèse' : 'Summary');
  summarySheet.columns = [{ width: 34 }, { width: 14 }, { width: 12 }];
  const { summary } = report;
  const rows: (string | number)[][] = [
    [language === 'fr' ? 'Généré le' : 'Generated at', report.generatedAt.toISOString()],
    [language === 'fr' ? 'Référentiel' : 'Reference', report.reference?.sourceFile ?? '—'],
    [language === 'fr' ? 'Boîtes alimentées' : 'Fed mailboxes', summary.fedMailboxes],
    [language === 'fr' ? 'Boîtes bloquées' : 'Mailboxes with blocking issues', summary.mailboxesWithBlockingIssues],
    [],
    [
      language === 'fr' ? 'Règle' : 'Rule',
      language === 'fr' ? 'Sévérité' : 'Severity',
      language === 'fr' ? 'Anomalies' : 'Issues',
    ],
    ...ALIMENTATION_RULES.map((rule) => [
      rule.code,
      SEVERITY_LABELS[language][rule.severity],
      (summary.byRule as Record<string, number>)[rule.code] ?? 0,
    ]),
  ];
  for (const row of rows) summarySheet.addRow(row).commit();
  summarySheet.commit();
  await workbook.commit();
}
