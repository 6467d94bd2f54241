import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { dataOf } from '../client';
import type { components } from '../generated/schema';
import { paginate, paginatePages } from '../pagination';
import { contextOf, table, type Context } from './context';

type Mailbox = components['schemas']['Mailbox'];

export function listCommands(program: Command): void {
  const mailboxes = program.command('mailboxes').description('search and read mailboxes');
  mailboxes
    .command('list')
    .description('every mailbox that matches, all pages')
    .option('--structure <id>', 'only this structure')
    .option('--q <text>', 'search names, e-mail, RPPS')
    .addOption(
      new Option('--status <status>', 'only this status').choices([
        'preregistered',
        'pending',
        'valid',
        'rejected',
        'deactivated',
        'deleted',
      ]),
    )
    .addOption(new Option('--type <type>', 'only this type').choices(['PER', 'MED', 'INT', 'ORG', 'APP']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ balise mailboxes list --structure 0f6c… --status pending\n  $ balise mailboxes list --q dupont --json | jq -r .email',
    )
    .action(async (options: MailboxFilters, command: Command) => {
      const context = contextOf(command);
      const pages = (cursor: string | undefined) =>
        context.client.GET('/v1/mailboxes', {
          params: {
            query: {
              structureId: options.structure,
              q: options.q,
              status: options.status,
              type: options.type,
              limit: 200,
              cursor,
            },
          },
        });
      await list(context, paginate(pages), [
        ['ID', (box: Mailbox) => box.id],
        ['TYPE', (box) => box.type],
        ['STATUS', (box) => box.status],
        ['EMAIL', (box) => box.email],
        ['NAME', (box) => [box.lastName, box.firstName].filter(Boolean).join(' ')],
      ]);
    });
  mailboxes
    .command('get')
    .description('one mailbox, in full')
    .argument('<id>', 'the mailbox')
    .addHelpText('after', '\nExample:\n  $ balise mailboxes get 5e6f7a8b-…')
    .action(async (mailboxId: string, _options: unknown, command: Command) => {
      const { client, json, out } = contextOf(command);
      const box = dataOf(await client.GET('/v1/mailboxes/{mailboxId}', { params: { path: { mailboxId } } }));
      if (json) out(JSON.stringify(box));
      else
        out(
          table(Object.entries(box), [
            ['FIELD', ([field]) => field],
            ['VALUE', ([, value]) => value],
          ]),
        );
    });

  program
    .command('structures')
    .description('structures')
    .command('list')
    .description('every structure this key can see')
    .option('--q <text>', 'search names, FINESS')
    .addHelpText('after', '\nExample:\n  $ balise structures list --json')
    .action(async (options: { q?: string }, command: Command) => {
      const context = contextOf(command);
      const pages = (cursor: string | undefined) =>
        context.client.GET('/v1/structures', { params: { query: { q: options.q, limit: 200, cursor } } });
      await list(context, paginate(pages), [
        ['ID', (structure) => structure.id],
        ['NAME', (structure) => structure.name],
        ['DOMAINS', (structure) => structure.domains.join(',')],
      ]);
    });

  program
    .command('directory')
    .description('the national directory feed')
    .command('sync')
    .description('the directory entries published, changed or withdrawn since a sync token, as NDJSON')
    .option('--since <token>', 'the token a previous sync printed (default: everything)')
    .option('--token-file <file>', 'read --since from this file when it exists, and write the next token to it')
    .option('--structure <id>', 'only this structure')
    .addHelpText(
      'after',
      '\nThe entries go to standard output, one JSON per line; the next token to standard error\n' +
        '(or to --token-file), to pass as --since next time.\n\nExamples:\n' +
        '  $ balise directory sync > full.ndjson 2> token.txt\n' +
        '  $ balise directory sync --token-file state.token >> changes.ndjson',
    )
    .action(async (options: { since?: string; tokenFile?: string; structure?: string }, command: Command) => {
      const { client, out, err } = contextOf(command);
      const since = options.since ?? (options.tokenFile ? await readToken(options.tokenFile) : undefined);
      let syncToken: string | undefined;
      const pages = (cursor: string | undefined) =>
        client.GET('/v1/directory/entries', {
          params: { query: { since, structureId: options.structure, limit: 500, cursor } },
        });
      for await (const page of paginatePages(pages)) {
        for (const entry of page.items) out(JSON.stringify(entry));
        syncToken = page.syncToken;
      }
      if (syncToken === undefined) return;
      if (options.tokenFile) await writeFile(options.tokenFile, `${syncToken}\n`);
      else err(syncToken);
    });
}

interface MailboxFilters {
  structure?: string;
  q?: string;
  status?: Mailbox['status'];
  type?: Mailbox['type'];
}

/** A list as NDJSON under --json (written as it comes), else as a table once all is read. */
async function list<T>(
  context: Context,
  items: AsyncIterable<T>,
  columns: ReadonlyArray<[string, (row: T) => unknown]>,
): Promise<void> {
  const rows: T[] = [];
  for await (const item of items) {
    if (context.json) context.out(JSON.stringify(item));
    else rows.push(item);
  }
  if (!context.json) context.out(table(rows, columns));
}

async function readToken(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text.trim() || undefined;
}
