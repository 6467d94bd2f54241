import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { IdempotencyHeadersSchema } from '../../shared/schemas';
import { ApiKeyParamsSchema, ApiKeySchema, CreateApiKeyBodySchema, CreatedApiKeySchema } from './api-keys.schemas';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service';

const tags = ['API keys'];

export const apiKeysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.post(
    '/v1/api-keys',
    {
      // The secret is shown once: the idempotency record keeps the answer without it.
      config: { access: 'write', idempotency: { redact: ['key'] } },
      schema: {
        operationId: 'createApiKey',
        summary: 'Create an API key; the secret is in this answer only',
        tags,
        description:
          'Answers the new key with its secret (`key`), which is shown in this answer only and stored as a SHA-256 hash. ' +
          'A retry with the same `Idempotency-Key` replays the same 201 with `Idempotent-Replayed: true` but without `key`, ' +
          'and says so with `Idempotent-Redacted: key`: the secret is never stored in clear, so it cannot be handed out again. ' +
          'A client that lost the first answer revokes that key (its `id` is in the replay) and creates another.',
        headers: IdempotencyHeadersSchema,
        body: CreateApiKeyBodySchema,
        response: { 201: NamedRef(CreatedApiKeySchema), ...problems('FORBIDDEN', 'BUSINESS_RULE_VIOLATED') },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiKey(deps, contextOf(request), request.body)),
  );

  app.get(
    '/v1/api-keys',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'listApiKeys',
        summary: 'List the keys the caller may manage (no secrets)',
        tags,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(ApiKeySchema), ...problems('FORBIDDEN') },
      },
    },
    async (request) => listApiKeys(deps, contextOf(request), request.query),
  );

  app.delete(
    '/v1/api-keys/:apiKeyId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key: it stops working at once',
        tags,
        params: ApiKeyParamsSchema,
        response: {
          204: Type.Null({ description: 'Revoked' }),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION'),
        },
      },
    },
    async (request, reply) => {
      const secretHash = await revokeApiKey(deps, contextOf(request), request.params.apiKeyId);
      // This process forgets the key now; the others when the commit's announcement reaches them.
      app.apiKeyCache.evict(secretHash);
      return reply.code(204).send(null);
    },
  );
};
