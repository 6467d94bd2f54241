import { access } from 'node:fs/promises';
import { MultiBar, Presets } from 'cli-progress';
import { Option, type Command } from 'commander';
import { failedRows, startImport, waitForImport, type Import, type ImportRow } from '../imports';
import { contextOf, UsageError, type Context } from './context';

interface ImportCommandOptions {
  structure: string;
  dryRun?: boolean;
  onError?: 'skip' | 'abort';
  notify?: boolean;
  directoryVisible?: boolean;
  wait?: boolean;
}

export function importCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('import')
    .description('upload a loaduser file (xlsx, xls or csv) to a structure')
    .argument('<file>', 'the loaduser file; - reads standard input')
    .requiredOption('--structure <id>', 'the structure the rows belong to')
    .option('--dry-run', 'check every row and report what would change, writing nothing')
    .addOption(
      new Option('--on-error <mode>', 'abort: write nothing if a row fails; skip: write the others').choices([
        'skip',
        'abort',
      ]),
    )
    .option('--notify', 'send an invitation e-mail to each box created')
    .option('--directory-visible', 'publish the boxes created in the directory (column R, when filled, wins)')
    // Neither flag: each box type's default, which the server applies.
    .option('--no-directory-visible', 'keep the boxes created out of the directory (column R, when filled, wins)')
    .option('--wait', 'follow the import to its end, print its counts and failed rows, exit 1 if rows failed')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 rows failed (or the file was refused), 2 usage or connection error.\n\nExamples:\n' +
        '  $ balise import loaduser.xlsx --structure 0f6c… --dry-run --wait\n' +
        '  $ balise import loaduser.xlsx --structure 0f6c… --on-error skip --notify --wait --json',
    )
    .action(async (file: string, options: ImportCommandOptions, command: Command) => {
      const context = contextOf(command);
      if (file !== '-') await access(file).catch(() => Promise.reject(new UsageError(`cannot read ${file}`)));
      const created = await startImport(context.client, options.structure, file === '-' ? process.stdin : file, {
        dryRun: options.dryRun,
        onError: options.onError,
        notify: options.notify,
        directoryVisible: options.directoryVisible,
      });
      if (!options.wait) {
        if (context.json) context.out(JSON.stringify(created));
        else
          context.out(
            `import ${created.id} ${created.status}: follow it with --wait, or GET /v1/imports/${created.id}`,
          );
        return;
      }
      const finished = await follow(context, created);
      const failed = finished.counts.failed > 0 ? await failedRows(context.client, finished.id) : [];
      if (context.json) context.out(JSON.stringify({ ...finished, failedRows: failed }));
      else printSummary(context, finished, failed);
      setExitCode(finished.status === 'failed' || failed.length > 0 ? 1 : 0);
    });
}

/** Waits for the import, with two bars (rows read, rows applied) on a terminal. */
async function follow(context: Context, created: Import): Promise<Import> {
  if (!context.showProgress) return waitForImport(context.client, created.id);
  const bars = new MultiBar(
    { stream: process.stderr, format: ' {bar} {value}/{total} rows {label}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const read = bars.create(0, 0, { label: 'read' });
  const applied = bars.create(0, 0, { label: 'applied' });
  try {
    return await waitForImport(context.client, created.id, {
      onProgress: ({ progress }) => {
        const total = progress.totalRows ?? progress.rowsRead;
        read.setTotal(total);
        applied.setTotal(total);
        read.update(progress.rowsRead);
        applied.update(progress.rowsApplied);
      },
    });
  } finally {
    bars.stop();
  }
}

function printSummary({ out }: Context, finished: Import, failed: ImportRow[]): void {
  const { created, updated, unchanged, failed: failedCount } = finished.counts;
  const dryRun = finished.options.dryRun ? ' (dry run: nothing written)' : '';
  out(`import ${finished.id} ${finished.status}${dryRun}`);
  if (finished.error) {
    out(`  ${finished.error.code}: ${finished.error.detail}`);
    for (const error of finished.error.errors ?? []) out(`  ${where(error)}${error.message} [${error.code}]`);
  }
  out(`  ${created} created, ${updated} updated, ${unchanged} unchanged, ${failedCount} failed`);
  for (const row of failed) {
    for (const error of row.errors) {
      out(`  ${where(error)}${error.message} [${error.code}]`);
    }
  }
}

/** `row 4, column D (RPPS): ` — where a spreadsheet user finds the cell at fault. */
function where(error: { row?: number; column?: string; header?: string; field?: string }): string {
  const cell = [error.row === undefined ? '' : `row ${error.row}`, error.column ? `column ${error.column}` : '']
    .filter(Boolean)
    .join(', ');
  const place = cell || error.field || '';
  return place ? `${place}${error.header ? ` (${error.header})` : ''}: ` : '';
}
