import fp from 'fastify-plugin';
import swagger, { type SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import { version } from '../../../package.json';
import { finishContract } from './contract-transform';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Form fields an upload route takes beside `file`, for the contract (the handler reads them itself). */
    uploadFields?: Record<string, unknown>;
  }
}

/**
 * Upload routes stream `request.file()` and so declare no body schema (one would make Fastify
 * validate a body that is never parsed); the contract still shows their multipart form.
 */
const documentUploads: SwaggerTransform<FastifySchema> = ({ schema, url, route }) => {
  const consumes = schema?.consumes;
  if (!consumes?.includes('multipart/form-data') || schema.body) return { schema, url };
  const body = {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: 'The file to upload' }, ...route.config?.uploadFields },
  };
  return { schema: { ...schema, body }, url };
};

/** The contract integrators generate clients from, built from the routes' TypeBox schemas. */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Balise API',
          version,
          description:
            'Headless administration API for an MSSanté operator: structures, mailboxes, MSSanté addresses, ' +
            'loaduser imports and exports, the alimentation report and the directory feed. Errors are RFC 9457 ' +
            '`application/problem+json`. Lists are cursor-paginated. Writes honour `If-Match`; POSTs honour `Idempotency-Key`.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        // Relative: the API answers at the root of wherever it is deployed.
        servers: [{ url: '/', description: 'This server' }],
        components: {
          securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer blk_…`' } },
        },
        security: [{ apiKey: [] }],
      },
      // Name shared schemas after their $id (e.g. `Problem`) rather than `def-0`.
      transform: documentUploads,
      transformObject: (document) =>
        'openapiObject' in document ? finishContract(document.openapiObject) : document.swaggerObject,
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
