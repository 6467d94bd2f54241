import { readFileSync } from 'node:fs';
import { EXAMPLE_IDS } from '../src/domain/contract-examples';
import { OPENAPI_FILE } from '../scripts/write-openapi';
import { bearer, createTestApp, type TestApp } from './harness';

/**
 * What Swagger UI's "Try it out" does on a fresh server: send the contract's request-body
 * examples, as they are, to the create operations, in the order their resources depend on each
 * other. The only change is the one a user makes: the placeholder ids of the examples
 * (`EXAMPLE_IDS`) become the ids the earlier answers gave.
 */
type Operation = {
  requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> };
};
const contract = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: Record<string, Record<string, Operation>> };

function requestExamples(path: string, method: string): unknown[] {
  const media = contract.paths[path]?.[method]?.requestBody?.content['application/json'];
  if (!media) throw new Error(`${method} ${path} takes no JSON body`);
  const examples =
    media.example !== undefined ? [media.example] : Object.values(media.examples ?? {}).map((e) => e.value);
  if (examples.length === 0) throw new Error(`${method} ${path} has no example`);
  return examples;
}

type Placeholder = keyof typeof EXAMPLE_IDS;
const realIds = new Map<string, string>();
const remember = (placeholder: Placeholder, id: string) => realIds.set(EXAMPLE_IDS[placeholder], id);
const idOf = (placeholder: Placeholder) => realIds.get(EXAMPLE_IDS[placeholder])!;

/** The example with every placeholder id the test has created replaced by the real one. */
function withRealIds(value: unknown): unknown {
  if (typeof value === 'string') return realIds.get(value) ?? value;
  if (Array.isArray(value)) return value.map(withRealIds);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withRealIds(item)]));
  return value;
}

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

async function send(method: 'post' | 'put', contractPath: string, url: string, example: unknown, key?: string) {
  const request = test.http[method](url).send(withRealIds(example) as object);
  const response = await (key ? request.set(bearer(key)) : request);
  const operation = `${method} ${contractPath}`;
  const outcome = response.status >= 200 && response.status < 300 ? '2xx' : response.status;
  // On a failure the diff shows the problem the server answered.
  expect({ operation, outcome, body: outcome === '2xx' ? 'taken' : response.body }).toEqual({
    operation,
    outcome: '2xx',
    body: 'taken',
  });
  return response.body as { id: string; type?: string };
}

describe("the contract's request examples on a fresh server", () => {
  it('create a structure, a box of each type and what links them, each answered 2xx', async () => {
    const key = test.operatorKey;
    const [structure] = requestExamples('/v1/structures', 'post');
    remember('structure', (await send('post', '/v1/structures', '/v1/structures', structure, key)).id);

    const placeholders: Record<string, Placeholder> = {
      PER: 'perMailbox',
      MED: 'medMailbox',
      INT: 'intMailbox',
      ORG: 'orgMailbox',
      APP: 'appMailbox',
    };
    const mailboxes = requestExamples('/v1/mailboxes', 'post');
    expect(mailboxes.map((example) => (example as { type: string }).type)).toEqual(Object.keys(placeholders));
    for (const example of mailboxes) {
      const created = await send('post', '/v1/mailboxes', '/v1/mailboxes', example, key);
      remember(placeholders[created.type!]!, created.id);
    }

    const perMailbox = idOf('perMailbox');
    const [correspondence] = requestExamples('/v1/mailboxes/{mailboxId}/correspondence', 'put');
    await send(
      'put',
      '/v1/mailboxes/{mailboxId}/correspondence',
      `/v1/mailboxes/${perMailbox}/correspondence`,
      correspondence,
      key,
    );

    const [account] = requestExamples('/v1/mailboxes/{mailboxId}/connection-accounts', 'post');
    const orgAccounts = `/v1/mailboxes/${idOf('orgMailbox')}/connection-accounts`;
    await send('post', '/v1/mailboxes/{mailboxId}/connection-accounts', orgAccounts, account, key);

    const [delegate] = requestExamples('/v1/mailboxes/{mailboxId}/delegates', 'post');
    await send('post', '/v1/mailboxes/{mailboxId}/delegates', `/v1/mailboxes/${perMailbox}/delegates`, delegate, key);

    const [change] = requestExamples('/v1/mailboxes/{mailboxId}/email-change-requests', 'post');
    const intChanges = `/v1/mailboxes/${idOf('intMailbox')}/email-change-requests`;
    await send('post', '/v1/mailboxes/{mailboxId}/email-change-requests', intChanges, change, key);

    const [apiKey] = requestExamples('/v1/api-keys', 'post');
    await send('post', '/v1/api-keys', '/v1/api-keys', apiKey, key);

    // The self sign-up is public: no key, as a browser sends it.
    const [registration] = requestExamples('/v1/registrations', 'post');
    await send('post', '/v1/registrations', '/v1/registrations', registration);
  });
});
