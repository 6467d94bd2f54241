import path from 'node:path';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { XlsxArchive } from './xlsx-archive';
import type { XlsxGuard } from './xlsx-guards';

/**
 * exceljs 4.4's streaming reader reads the zip in the order its parts were written, and loses
 * what comes after the worksheet when the zip is small (unzipper 0.10 announces the end of its
 * entries once its input is written, before the entries it still buffers are taken: exceljs
 * stops there). So the reader's own part parsers are handed the parts from the archive, in
 * the order rows need them: relationships, workbook (its date system), styles (which cells
 * are dates), shared strings, then the first worksheet, streamed. These are private methods of
 * exceljs 4.4 (the ones its `parse()` calls); the part-order tests fail if a new version changes them.
 */
interface WorkbookReaderInternals {
  workbookRels?: { Id?: unknown; Type?: unknown; Target?: unknown }[];
  model?: { sheets?: { rId?: unknown }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNumber: string): Iterable<{ value: unknown }>;
}

export type WorksheetRows = AsyncIterable<{ number: number; values: unknown }>;

const WORKBOOK_RELATIONSHIPS = 'xl/_rels/workbook.xml.rels';
const WORKBOOK = 'xl/workbook.xml';

function internalsOf(reader: ExcelJS.stream.xlsx.WorkbookReader): WorkbookReaderInternals {
  const internals = reader as unknown as Partial<WorkbookReaderInternals>;
  for (const method of [
    '_parseRels',
    '_parseWorkbook',
    '_parseStyles',
    '_parseSharedStrings',
    '_parseWorksheet',
  ] as const)
    if (typeof internals[method] !== 'function')
      throw new Error('exceljs internals changed: review exceljs-workbook-parts.ts');
  return internals as WorkbookReaderInternals;
}

/** The part a workbook relationship points to (targets are relative to `xl/`, or absolute in the package). */
function partOf(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  return target.startsWith('/') ? target.slice(1) : path.posix.normalize(`xl/${target}`);
}

function relationshipTarget(internals: WorkbookReaderInternals, type: string): string | undefined {
  const relationship = internals.workbookRels?.find(
    (rel) => typeof rel.Type === 'string' && rel.Type.endsWith(`/${type}`),
  );
  return partOf(relationship?.Target);
}

/**
 * Reads what the rows need, then answers the rows of the workbook's first sheet (the first tab,
 * whatever the order of the parts) as exceljs reads them, streamed from the archive.
 * `watch` races each step against the guard, which may stop a part exceljs is not watching.
 */
export async function readFirstWorksheet(
  reader: ExcelJS.stream.xlsx.WorkbookReader,
  archive: XlsxArchive,
  guard: XlsxGuard,
): Promise<WorksheetRows> {
  const internals = internalsOf(reader);
  const watch = <T>(step: Promise<T>) => Promise.race([step, guard.breach]);
  if (!archive.has(WORKBOOK_RELATIONSHIPS) || !archive.has(WORKBOOK)) throw new Error('it holds no workbook');
  await watch(internals._parseRels(await archive.open(WORKBOOK_RELATIONSHIPS, guard)));
  await watch(internals._parseWorkbook(await archive.open(WORKBOOK, guard)));

  // Where the relationships name no part, the one every writer uses (exceljs looked only there).
  const styles = relationshipTarget(internals, 'styles') ?? 'xl/styles.xml';
  if (archive.has(styles)) await watch(internals._parseStyles(await archive.open(styles, guard)));
  const sharedStrings = relationshipTarget(internals, 'sharedStrings') ?? 'xl/sharedStrings.xml';
  if (archive.has(sharedStrings)) {
    const table = internals._parseSharedStrings(await archive.open(sharedStrings, guard));
    await watch(
      (async () => {
        for await (const _string of table); // Cached by the reader, counted by the guard.
      })(),
    );
  }

  const firstSheet = internals.model?.sheets?.[0];
  const relationship = internals.workbookRels?.find((rel) => rel.Id === firstSheet?.rId);
  const worksheet = partOf(relationship?.Target) ?? 'xl/worksheets/sheet1.xml';
  if (!archive.has(worksheet)) throw new Error('it holds no worksheet');
  // exceljs names a sheet by the number in its part's name, as its own `parse()` does.
  const sheetNumber = /(\d+)\.xml$/.exec(worksheet)?.[1] ?? '1';
  for (const event of internals._parseWorksheet(await archive.open(worksheet, guard), sheetNumber))
    return event.value as WorksheetRows;
  throw new Error('exceljs internals changed: review exceljs-workbook-parts.ts');
}
