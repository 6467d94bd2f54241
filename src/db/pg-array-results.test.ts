import { openTestDatabase } from '../../test/harness';
import type { DatabaseHandle } from './database';
import { skipRowTemplateForArrayResults } from './pg-array-results';

// The patch is node-postgres's: it runs where the tests run on a PostgreSQL server.
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeOnPostgres('node-postgres results read as arrays', () => {
  let handle: DatabaseHandle;
  const text = `select 42::int as answer, '{"x": [1]}'::jsonb as document, null::text as nothing, 'é'::text as letter`;

  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('is in place once a PostgreSQL database is opened: array rows parse every column, with no row template built', async () => {
    const result = await handle.pool!.query({ text, rowMode: 'array' });
    expect(result.rows).toEqual([[42, { x: [1] }, null, 'é']]);
    expect(result.fields.map((field) => field.name)).toEqual(['answer', 'document', 'nothing', 'letter']);
    expect((result as unknown as { _prebuiltEmptyResultObject: unknown })._prebuiltEmptyResultObject).toBeNull();
  });

  it('leaves rows read as objects to node-postgres', async () => {
    const result = await handle.pool!.query(text);
    expect(result.rows).toEqual([{ answer: 42, document: { x: [1] }, nothing: null, letter: 'é' }]);
  });

  it('can be applied again, harmlessly', () => {
    expect(skipRowTemplateForArrayResults()).toBe(true);
  });
});
