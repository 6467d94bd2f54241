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
    const [structure] = await selectRows<{ id: string }>(
      handle.db,
      sql`insert into structures (name) values ('Before 0006') returning id`,
    );
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
    const [legacy] = await selectRows<{ present: boolean }>(
      handle.db,
      sql`select to_regclass('import_files') is not null as present`,
    );
    expect(legacy!.present).toBe(false);
  });
});

describe('migration 0007: API key public ids, no secret at rest', () => {
  let handle: DatabaseHandle;
  let before: ReturnType<typeof migrationsBefore>;
  beforeAll(async () => {
    before = migrationsBefore('0007_api-key-public-ids');
    handle = await openTestDatabase({ migrationsFolder: before.folder });
  });
  afterAll(async () => {
    await handle.close();
    before.remove();
  });

  it('replaces prefixes cut from secrets, and scrubs the secret from stored creation answers and the prefix from the trail', async () => {
    const bootstrapSecret = 'my-chosen-bootstrap-secret-0123456789';
    const createdSecret = `blk_${randomBytes(32).toString('base64url')}`;
    const [bootstrap] = await selectRows<{ id: string }>(
      handle.db,
      sql`insert into api_keys (name, role, secret_hash, prefix) values ('bootstrap', 'operator', 'hash-1', ${bootstrapSecret.slice(0, 10)}) returning id`,
    );
    const [created] = await selectRows<{ id: string }>(
      handle.db,
      sql`insert into api_keys (name, role, secret_hash, prefix) values ('DPI', 'operator', 'hash-2', ${createdSecret.slice(0, 10)}) returning id`,
    );
    const answer = JSON.stringify({
      id: created!.id,
      name: 'DPI',
      role: 'operator',
      structureIds: [],
      prefix: createdSecret.slice(0, 10),
      key: createdSecret,
    });
    await handle.db.execute(sql`
      insert into idempotency_keys (api_key_id, key, request_hash, status_code, response_headers, response_body, completed_at)
      values (${bootstrap!.id}, 'k1', 'h1', 201, ${JSON.stringify({ 'content-type': 'application/json; charset=utf-8' })}::jsonb, ${answer}, now()),
             (${bootstrap!.id}, 'k2', 'h2', 201, null, ${'{"id":"not json'}, now()),
             (${bootstrap!.id}, 'k3', 'h3', 422, null, ${'{"code":"VALIDATION_FAILED","key":"blk_x"}'}, now())`);
    await handle.db.execute(sql`
      insert into audit_events (id, occurred_at, actor_type, action, target_type, target_id, after)
      values (gen_random_uuid(), now(), 'api_key', 'api_key.created', 'api_key', ${created!.id}, ${JSON.stringify({ id: created!.id, prefix: createdSecret.slice(0, 10) })}::jsonb)`);

    await migrateDatabase(handle);

    const keys = await selectRows<{ id: string; prefix: string }>(
      handle.db,
      sql`select id, prefix from api_keys order by name`,
    );
    expect(keys.map((key) => key.prefix)).toEqual([
      expect.stringMatching(/^kid_[0-9a-f]{12}$/),
      expect.stringMatching(/^kid_[0-9a-f]{12}$/),
    ]);
    expect(keys[0]!.prefix).not.toBe(keys[1]!.prefix);
    const newPrefix = keys.find((key) => key.id === created!.id)!.prefix;

    const rows = await selectRows<{
      key: string;
      response_body: string;
      response_headers: Record<string, string> | null;
    }>(handle.db, sql`select key, response_body, response_headers from idempotency_keys order by key`);
    expect(rows[0]!.response_body).not.toContain(createdSecret);
    expect(JSON.parse(rows[0]!.response_body)).toEqual({
      id: created!.id,
      name: 'DPI',
      role: 'operator',
      structureIds: [],
      prefix: newPrefix,
    });
    expect(rows[0]!.response_headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'idempotent-redacted': 'key',
    });
    // Not an API key's creation answer: left as it was.
    expect(rows[1]!.response_body).toBe('{"id":"not json');
    expect(rows[2]!.response_body).toBe('{"code":"VALIDATION_FAILED","key":"blk_x"}');

    const [event] = await selectRows<{ after: { prefix: string } }>(
      handle.db,
      sql`select after from audit_events where target_id = ${created!.id}`,
    );
    expect(event!.after.prefix).toBe(newPrefix);
  });
});

describe('migration 0010: mailbox search terms', () => {
  let handle: DatabaseHandle;
  let before: ReturnType<typeof migrationsBefore>;
  beforeAll(async () => {
    before = migrationsBefore('0011_mailbox-search-terms');
    handle = await openTestDatabase({ migrationsFolder: before.folder });
  });
  afterAll(async () => {
    await handle.close();
    before.remove();
  });

  it('gives the boxes that exist their terms, their MSSanté address included', async () => {
    const [structure] = await selectRows<{ id: string }>(
      handle.db,
      sql`insert into structures (name) values ('Before 0010') returning id`,
    );
    const [box] = await selectRows<{ id: string }>(
      handle.db,
      sql`insert into mailboxes (structure_id, type, email, email_key, status, last_name, first_name, last_name_key, first_name_key, service)
          values (${structure!.id}, 'PER', 'soc@chu.example.fr', 'soc@chu.example.fr', 'valid', 'O''Connor', 'Siobhán', 'o''connor', 'siobhan', 'Pédiatrie')
          returning id`,
    );
    await handle.db.execute(
      sql`insert into mssante_addresses (mailbox_id, structure_id, local_part, domain, address, assigned_at)
          values (${box!.id}, ${structure!.id}, 'cardio.soc', 'chu.mssante.fr', 'cardio.soc@chu.mssante.fr', now())`,
    );

    await migrateDatabase(handle);

    const found = async (q: string) =>
      (
        await selectRows<{ id: string }>(
          handle.db,
          sql`select id from mailboxes where search_terms @@ balise_search_query(${q})`,
        )
      ).map((row) => row.id);
    for (const q of ['oconnor', 'siobhan pedia', 'cardio.soc', 'soc@chu']) expect(await found(q)).toEqual([box!.id]);
    expect(await found('dupont')).toEqual([]);
  });
});
