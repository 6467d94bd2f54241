import { readFileSync } from 'node:fs';
import { OPENAPI_FILE } from '../../../scripts/write-openapi';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, loaduserCsv, uniqueEmail, uploadImport, validRpps } from '../../../test/factories';

/**
 * The import form's fields as the committed contract declares them, sent to the server: what the
 * contract allows is taken (and reflected in the import's `options`), what it does not is a 400
 * naming the field. The contract and the server read one schema, so they cannot drift apart.
 */
interface FieldSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
}
const contract = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths: Record<
    string,
    Record<string, { requestBody: { content: Record<string, { schema: unknown; encoding?: unknown }> } }>
  >;
};
const form = contract.paths['/v1/structures/{structureId}/imports']!.post!.requestBody.content['multipart/form-data']!;
const formSchema = form.schema as { required: string[]; properties: Record<string, FieldSchema> };
const fields = Object.entries(formSchema.properties).filter(([name]) => name !== 'file');

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const oneBox = () => loaduserCsv([{ A: uniqueEmail(), B: 'Moreau', C: 'Camille', D: validRpps(), S: 'PER' }]);
const upload = (values: Record<string, string>) => uploadImport(test, structureId, oneBox(), values);

/** The values each declared field takes, as text: its enum, or both booleans. */
function valuesOf(schema: FieldSchema): { text: string; value: unknown }[] {
  if (schema.enum) return schema.enum.map((value) => ({ text: value, value }));
  if (schema.type === 'boolean')
    return [
      { text: 'true', value: true },
      { text: 'false', value: false },
    ];
  throw new Error(`no sample values for ${JSON.stringify(schema)}`);
}

describe('the import form, as the contract declares it', () => {
  it('declares the options with their types, enums and defaults, only the file required, and the part types of the file', () => {
    expect(fields.map(([name]) => name).sort()).toEqual(['directoryVisible', 'dryRun', 'notify', 'onError']);
    expect(formSchema.required).toEqual(['file']);
    expect(formSchema.properties.onError).toMatchObject({ enum: ['abort', 'skip'], default: 'abort' });
    expect(formSchema.properties.dryRun).toMatchObject({ type: 'boolean', default: false });
    expect(form.encoding).toEqual({ file: { contentType: expect.stringContaining('text/csv') } });
  });

  it('applies the declared defaults when no field is sent', async () => {
    const response = await upload({}).expect(202);
    const defaults = Object.fromEntries(fields.map(([name, schema]) => [name, schema.default ?? null]));
    expect(response.body.options).toEqual(defaults);
    expect(defaults).toEqual({ dryRun: false, onError: 'abort', notify: false, directoryVisible: null });
  });

  it.each(fields)('takes every value the contract allows for %s', async (name, schema) => {
    for (const { text, value } of valuesOf(schema)) {
      const response = await upload({ [name]: text, dryRun: name === 'dryRun' ? text : 'true' }).expect(202);
      expect({ name, text, option: response.body.options[name] }).toEqual({ name, text, option: value });
    }
  });

  it.each(fields)('refuses a value outside the schema for %s with a 400 naming it', async (name) => {
    const response = await upload({ [name]: 'perhaps' }).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: name })]);
  });

  it('reports every field at fault at once, an unknown one included', async () => {
    const response = await upload({ notify: 'yes', onError: 'ignore', mode: 'fast' }).expect(400);
    const named = (response.body.errors as { field: string; code: string }[]).map(({ field, code }) => [field, code]);
    expect(named).toEqual(
      expect.arrayContaining([
        ['notify', 'SCHEMA_TYPE'],
        ['onError', 'SCHEMA_ENUM'],
        ['mode', 'SCHEMA_ADDITIONAL_PROPERTIES'],
      ]),
    );
  });

  it('counts a field sent empty as absent (an HTML form sends every field it shows)', async () => {
    const response = await upload({ directoryVisible: '', onError: '', dryRun: 'true' }).expect(202);
    expect(response.body.options).toEqual({ dryRun: true, onError: 'abort', notify: false, directoryVisible: null });
  });
});
