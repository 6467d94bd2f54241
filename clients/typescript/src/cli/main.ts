import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { BaliseProblem } from '../problem';
import { UsageError } from './context';
import { downloadCommands } from './downloads';
import { importCommand } from './import';
import { listCommands } from './lists';

/** Exit codes: 0 done, 1 rows failed (an import's), 2 usage, connection or refused request. */
export const EXIT = { ok: 0, rowsFailed: 1, usage: 2 } as const;

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('balise')
    .version(packageVersion())
    .description('Balise from a shell: import loaduser files, export, reports, the directory feed')
    .addOption(new Option('--url <url>', 'the Balise server').env('BALISE_URL'))
    .addOption(new Option('--api-key <key>', 'an API key (blk_…)').env('BALISE_API_KEY'))
    .option('--json', 'machine-readable output: JSON, or one JSON per line for lists')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      '\nSettings: BALISE_URL and BALISE_API_KEY (or --url, --api-key).\n\nExamples:\n' +
        '  $ export BALISE_URL=https://balise.example.fr BALISE_API_KEY=blk_…\n' +
        '  $ balise import loaduser.xlsx --structure 0f6c… --wait\n' +
        '  $ balise mailboxes list --structure 0f6c… --json',
    );
  importCommand(program, setExitCode);
  downloadCommands(program);
  listCommands(program);
  // Subcommands report their usage errors through the same exception as the program.
  for (const command of allCommands(program)) command.exitOverride().showHelpAfterError();
  return program;
}

/** The package's version, from its package.json (two folders up from src/cli/ and from dist/cli/ alike). */
function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : '';
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

/** Runs `balise` with `argv` (as process.argv: node, script, arguments) and answers its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  const err = (text: string) => process.stderr.write(`${text}\n`);
  if (error instanceof CommanderError) {
    // Commander printed the message (and the help); `--help` and `--version` are not errors.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof BaliseProblem) {
    err(`error: ${error.status} ${error.code}: ${error.detail}`);
    for (const item of error.errors) {
      const where = item.field ?? (item.row !== undefined ? `row ${item.row}, column ${item.column ?? '?'}` : '');
      err(`  ${where ? `${where}: ` : ''}${item.message} [${item.code}]`);
    }
    if (error.requestId) err(`  request id: ${error.requestId}`);
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    err(`error: ${error.message}`);
    return EXIT.usage;
  }
  // fetch fails with a TypeError whose cause says why (ECONNREFUSED, ENOTFOUND…).
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  err(`error: ${error instanceof Error ? error.message : String(error)}${cause}`);
  return EXIT.usage;
}
