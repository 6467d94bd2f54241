import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { components } from '../generated/schema';
import { paginatePages } from '../pagination';
import { contextOf, UsageError } from './context';

type AlimentationReport = components['schemas']['AlimentationReport'];

const formats = (...choices: string[]) => new Option('--format <format>', 'file format').choices(choices);

export function downloadCommands(program: Command): void {
  program
    .command('export')
    .description("download a structure's mailboxes in the loaduser layout")
    .requiredOption('--structure <id>', 'the structure')
    .addOption(formats('csv', 'xlsx').default('xlsx'))
    .option('-o, --output <file>', 'write to this file (default: standard output, unless a terminal)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ balise export --structure 0f6c… --format xlsx -o boxes.xlsx\n  $ balise export --structure 0f6c… --format csv > boxes.csv',
    )
    .action(async (options: { structure: string; format: 'csv' | 'xlsx'; output?: string }, command: Command) => {
      const { client } = contextOf(command);
      const { response } = await client.GET('/v1/structures/{structureId}/mailboxes/export', {
        params: { path: { structureId: options.structure }, query: { format: options.format } },
        parseAs: 'stream',
      });
      await save(response, options.output, options.format === 'xlsx');
    });

  program
    .command('report')
    .description("a structure's alimentation report: what keeps its boxes out of the national directory")
    .requiredOption('--structure <id>', 'the structure')
    .addOption(formats('json', 'csv', 'xlsx').default('json'))
    .option('-o, --output <file>', 'write to this file (default: standard output, unless a terminal for xlsx)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ balise report --structure 0f6c… | jq .summary\n  $ balise report --structure 0f6c… --format xlsx -o report.xlsx',
    )
    .action(
      async (options: { structure: string; format: 'json' | 'csv' | 'xlsx'; output?: string }, command: Command) => {
        const { client, out } = contextOf(command);
        const structureId = options.structure;
        if (options.format !== 'json') {
          const { response } = await client.GET('/v1/structures/{structureId}/alimentation-report', {
            params: { path: { structureId }, query: { format: options.format } },
            parseAs: 'stream',
          });
          await save(response, options.output, options.format === 'xlsx');
          return;
        }
        // The JSON report comes in pages: the whole of it, as one document.
        const pages = (cursor: string | undefined) =>
          client.GET('/v1/structures/{structureId}/alimentation-report', {
            params: { path: { structureId }, query: { format: 'json', limit: 500, cursor } },
            headers: { Accept: 'application/json' },
          });
        let first: AlimentationReport | undefined;
        const items: AlimentationReport['items'] = [];
        for await (const page of paginatePages(pages)) {
          first ??= page;
          items.push(...page.items);
        }
        const document = JSON.stringify({ ...first, items, nextCursor: null }, null, 2);
        if (options.output === undefined) out(document);
        else await save(new Response(`${document}\n`), options.output, false);
      },
    );

  program
    .command('template')
    .description('download the empty loaduser template to fill in')
    .addOption(formats('csv', 'xlsx').default('xlsx'))
    .option('-o, --output <file>', 'write to this file (default: standard output, unless a terminal)')
    .addHelpText('after', '\nExample:\n  $ balise template -o loaduser.xlsx')
    .action(async (options: { format: 'csv' | 'xlsx'; output?: string }, command: Command) => {
      const { client } = contextOf(command);
      const { response } = await client.GET('/v1/imports/template', {
        params: { query: { format: options.format } },
        parseAs: 'stream',
      });
      await save(response, options.output, options.format === 'xlsx');
    });
}

/** Streams a body to a file or to standard output; a spreadsheet is not poured onto a terminal. */
async function save(response: Response, output: string | undefined, binary: boolean): Promise<void> {
  if (response.body === null) throw new Error(`${response.url} answered no body`);
  if (output === undefined && binary && process.stdout.isTTY) {
    await response.body.cancel();
    throw new UsageError('a spreadsheet is not written to a terminal: pass -o <file> or redirect the output');
  }
  const body = Readable.fromWeb(response.body);
  await pipeline(body, output === undefined ? process.stdout : createWriteStream(output), {
    end: output !== undefined,
  });
}
