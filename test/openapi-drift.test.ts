import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, renderOpenapi } from '../scripts/write-openapi';
import { createTestApp, type TestApp } from './harness';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

describe('the committed OpenAPI contract', () => {
  it('is what the routes generate (run `npm run openapi` after changing a route)', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(renderOpenapi(test.app.swagger())).toBe(committed);
  });

  it('is served at /openapi.json', async () => {
    const response = await test.http.get('/openapi.json').expect(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/v1/structures']).toBeDefined();
  });

  it('gives every operation an operationId, a summary, tags and documented errors', () => {
    const document = test.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            operationId?: string;
            summary?: string;
            tags?: string[];
            security?: unknown[];
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    for (const [route, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect({ route, method, operationId: typeof operation.operationId, summary: typeof operation.summary }).toEqual(
          {
            route,
            method,
            operationId: 'string',
            summary: 'string',
          },
        );
        expect(operation.tags?.length).toBeGreaterThan(0);
        // A public operation (`security: []`: health, sign-up) never asks for a key, so never answers 401.
        const needsKey = operation.security?.length !== 0;
        expect({ route, method, documents401: '401' in operation.responses }).toEqual({
          route,
          method,
          documents401: needsKey,
        });
      }
    }
  });
});
