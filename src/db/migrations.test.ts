import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test/harness';
import { migrateDatabase, MIGRATIONS_FOLDER, selectRows, type DatabaseHandle } from './database';

/** A copy of the migrations folder holding those before `tag` only: a database as it was before it. */
function migrationsBefore(tag: string): { folder: string; remove: () => void } {
  const folder = mkdtempSync(path.join(tmpdir(), 'balise-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((entry) => entry.tag === tag);
  if (cut < 0) throw new Error(`no migration ${tag}`);
  for (const entry of journal.entries.slice(cut)) rmSync(path.join(folder, `${entry.tag}.sql`));
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Migrations that convert data, run over data written under the schema before them. */
describe('migration 0006: uploads stored in pieces', () => {
  let handle: DatabaseHandle;
  let before: ReturnType<typeof migrationsBefore>;
  beforeAll(async () => {
    before = migrationsBefore('0006_import-file-chunks');
    expect(readdirSync(before.folder).some((name) => name.startsWith('0006'))).toBe(false);
    handle = await openTestDatabase({ migrationsFolder: before.folder });
  });
  afterAll(async () => {
    await handle.close();
    before.remove();
  });

  it('cuts each stored upload into pieces of 1 MiB, byte for byte; an empty one becomes one empty piece', async () => {
    const [structure] = await selectRows<{ id: string }>(handle.db, sql`insert into structures (name) values ('Before 0006') returning id`);
    const files = [randomBytes(2.5 * 1024 * 1024), Buffer.alloc(0), randomBytes(1024 * 1024)];
    const importIds: string[] = [];
    for (const file of files) {
      const [created] = await selectRows<{ id: string }>(
        handle.db,
        sql`insert into imports (id, structure_id, file_name, format, file_size) values (gen_random_uuid(), ${structure!.id}, 'loaduser.csv', 'csv', ${file.length}) returning id`,
      );
      await handle.db.execute(sql`insert into import_files (import_id, content) values (${created!.id}, ${file})`);
      importIds.push(created!.id);
    }

    await migrateDatabase(handle);

    const pieceSizes = [[1048576, 1048576, 524288], [0], [1048576]];
    for (const [index, importId] of importIds.entries()) {
      const pieces = await selectRows<{ seq: number; content: Uint8Array }>(
        handle.db,
        sql`select seq, content from import_file_chunks where import_id = ${importId} order by seq`,
      );
      expect(pieces.map((piece) => piece.seq)).toEqual(pieceSizes[index]!.map((_size, seq) => seq));
      expect(pieces.map((piece) => piece.content.byteLength)).toEqual(pieceSizes[index]);
      expect(Buffer.concat(pieces.map((piece) => Buffer.from(piece.content))).equals(files[index]!)).toBe(true);
    }
    const [legacy] = await selectRows<{ present: boolean }>(handle.db, sql`select to_regclass('import_files') is not null as present`);
    expect(legacy!.present).toBe(false);
  });
});
