import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OPENAPI_FILE } from '../scripts/write-openapi';

/**
 * Every example of the committed contract validates against the schema it illustrates, with a
 * JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1): a schema's own `examples`, and a
 * media type's `example` or `examples`. An example that lies would make "Try it out" fail.
 */
type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

const COMPONENTS = 'https://balise.invalid/components.json';

/** The schema with its references to `components.schemas` pointed at the registered copy. */
function withResolvableReferences(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withResolvableReferences);
  if (!isNode(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string'
        ? [key, value.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`)]
        : [key, withResolvableReferences(value)],
    ),
  );
}

interface Example {
  at: string;
  schema: unknown;
  value: unknown;
}

/** Every example in the document, with the schema it must satisfy. */
function examplesOf(node: unknown, at: string, found: Example[] = [], isMediaType = false): Example[] {
  if (Array.isArray(node)) {
    node.forEach((item, index) => examplesOf(item, `${at}/${index}`, found));
    return found;
  }
  if (!isNode(node)) return found;
  const isMedia = isMediaType && isNode(node.schema);
  if (isMedia && 'example' in node) found.push({ at: `${at}/example`, schema: node.schema, value: node.example });
  if (isMedia && isNode(node.examples)) {
    for (const [name, example] of Object.entries(node.examples))
      found.push({ at: `${at}/examples/${name}`, schema: node.schema, value: (example as Node).value });
  }
  if (!isMedia && Array.isArray(node.examples) && !at.endsWith('/properties')) {
    const { examples, ...schema } = node;
    (examples as unknown[]).forEach((value, index) => found.push({ at: `${at}/examples/${index}`, schema, value }));
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'example') continue;
    if (key === 'content' && isNode(value) && !isMedia) {
      for (const [type, media] of Object.entries(value)) examplesOf(media, `${at}/content/${type}`, found, true);
    } else examplesOf(value, `${at}/${key}`, found);
  }
  return found;
}

function exampleFailures(document: { components: { schemas: Record<string, unknown> } }): string[] {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: COMPONENTS, $defs: withResolvableReferences(document.components.schemas) });
  return examplesOf(document, '#').flatMap(({ at, schema, value }) => {
    const validate = ajv.compile(withResolvableReferences(schema) as object);
    return validate(value) ? [] : [`${at}: ${ajv.errorsText(validate.errors)}`];
  });
}

const contract = () =>
  JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
    components: { schemas: Record<string, Node> };
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, Node> } }>>;
  };

describe('the examples of the committed contract', () => {
  it('give every JSON request body an example, and the main resources one each', () => {
    const document = contract();
    const bodiesWithout = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const json = operation.requestBody?.content['application/json'];
        return json && !('example' in json) && !('examples' in json) ? [`${method} ${path}`] : [];
      }),
    );
    expect(bodiesWithout).toEqual([]);
    for (const name of ['Mailbox', 'Structure', 'Import', 'DirectoryEntry', 'AlimentationReport', 'Problem'])
      expect({ name, examples: Array.isArray(document.components.schemas[name]?.examples) }).toEqual({
        name,
        examples: true,
      });
  });

  it('all validate against their own schemas', () => {
    const document = contract();
    expect(examplesOf(document, '#').length).toBeGreaterThan(25);
    expect(exampleFailures(document)).toEqual([]);
  });

  it('finds an example that does not match its schema (the check itself works)', () => {
    const document = contract();
    const structure = document.components.schemas.Structure!;
    structure.examples = [{ ...(structure.examples as Node[])[0], domains: 'not a list' }];
    const body = document.paths['/v1/mailboxes']!.post!.requestBody!.content['application/json']!;
    const [first] = Object.values(body.examples as Record<string, Node>);
    first!.value = { ...(first!.value as Node), type: 'XYZ' };
    const failures = exampleFailures(document);
    expect(failures).toHaveLength(2);
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringContaining('#/components/schemas/Structure/examples/0'),
        expect.stringContaining('#/paths//v1/mailboxes/post/requestBody/content/application/json/examples/'),
      ]),
    );
  });
});
