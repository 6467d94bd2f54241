import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { problems } from '../../platform/errors/problem.schema';
import { withHeaders } from '../../platform/openapi/response-headers';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { SecretBox } from '../../platform/secret-box';
import { NamedRef } from '../../shared/named-schemas';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { ifMatchOf, withEtag } from '../../shared/etag';
import { IdempotencyHeadersSchema, IfMatchHeadersSchema } from '../../shared/schemas';
import {
  CreateWebhookBodySchema,
  DeliveryParamsSchema,
  UpdateWebhookBodySchema,
  WebhookDeliverySchema,
  WebhookParamsSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './webhooks.schemas';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook,
  redeliverWebhookMessage,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookDependencies,
} from './webhooks.service';

const tags = ['Webhooks'];

const DELIVERY =
  'Messages follow the Standard Webhooks specification: `POST` of the event (the `Event` of `GET /v1/events`) as ' +
  'JSON with `webhook-id` (the event id, the same on every attempt: deduplicate on it), `webhook-timestamp` and ' +
  '`webhook-signature` (`v1,<HMAC-SHA256>`; during a rotation one signature per secret, space-separated). A 2xx ' +
  'answer within 10 s is a success; anything else (a redirect included: none is followed) is retried after ' +
  '5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 14 h, then the delivery is `failed`. Delivery is at least once and ' +
  'mostly, not strictly, in feed order. An endpoint failing every attempt for 5 days is disabled ' +
  '(`disabledReason: failing`) and the contact of each structure it covers is sent an e-mail.';

export const webhooksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps: WebhookDependencies = {
    ...dependenciesOf(app),
    secrets: new SecretBox(app.config.secretsKey),
    policy: app.config.webhooks,
  };

  app.post(
    '/v1/webhooks',
    {
      config: { access: 'write', idempotency: { redact: ['secret'] } },
      schema: {
        operationId: 'createWebhook',
        summary: 'Register an endpoint that receives events; its signing secret is in this answer only',
        tags,
        description:
          'Every event of the feed that matches `events` and belongs to one of `structureIds` (each within your ' +
          'key’s structures: another structure is a 404, as everywhere) and occurs after this call is POSTed to `url`. ' +
          DELIVERY +
          ' The secret is stored encrypted (AES-256-GCM, `BALISE_SECRETS_KEY`): it is needed in clear to sign.',
        headers: IdempotencyHeadersSchema,
        body: CreateWebhookBodySchema,
        response: {
          201: withHeaders(NamedRef(WebhookWithSecretSchema), 'ETag', 'Location'),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const { webhook, version } = await createWebhook(deps, contextOf(request), request.body);
      return withEtag(reply.code(201), version).header('location', `/v1/webhooks/${webhook.id}`).send(webhook);
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        summary: 'List the endpoints covering your structures (no secrets)',
        tags,
        description: 'Operators see every endpoint; other keys those covering only structures of theirs.',
        querystring: PageQuerySchema,
        response: { 200: pageSchema(WebhookSchema), ...problems('BAD_REQUEST') },
      },
    },
    async (request) => listWebhooks(deps, contextOf(request), request.query),
  );

  app.get(
    '/v1/webhooks/:webhookId',
    {
      schema: {
        operationId: 'getWebhook',
        summary: 'Read an endpoint (no secret)',
        tags,
        description: 'Its `ETag` changes with every change of what it shows, failures recorded by deliveries included.',
        params: WebhookParamsSchema,
        response: { 200: withHeaders(NamedRef(WebhookSchema), 'ETag'), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const { webhook, version } = await getWebhook(deps, contextOf(request), request.params.webhookId);
      return withEtag(reply, version).send(webhook);
    },
  );

  app.patch(
    '/v1/webhooks/:webhookId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateWebhook',
        summary: 'Change an endpoint: URL, events, structures, description, enabled',
        tags,
        description:
          'The URL is checked as at creation. Enabling a disabled endpoint clears its failure record. With ' +
          '`If-Match`, applied only if the endpoint is still at that ETag (412 otherwise).',
        params: WebhookParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateWebhookBodySchema,
        response: {
          200: withHeaders(NamedRef(WebhookSchema), 'ETag'),
          ...problems('NOT_FOUND', 'VALIDATION_FAILED', 'BUSINESS_RULE_VIOLATED', 'PRECONDITION_FAILED'),
        },
      },
    },
    async (request, reply) => {
      const { webhook, version } = await updateWebhook(
        deps,
        contextOf(request),
        request.params.webhookId,
        request.body,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(webhook);
    },
  );

  app.delete(
    '/v1/webhooks/:webhookId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete an endpoint and its delivery history; nothing more is sent to it',
        tags,
        description: 'With `If-Match`, deleted only if the endpoint is still at that ETag (412 otherwise).',
        params: WebhookParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems('NOT_FOUND', 'PRECONDITION_FAILED') },
      },
    },
    async (request, reply) => {
      await deleteWebhook(deps, contextOf(request), request.params.webhookId, ifMatchOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:webhookId/rotate-secret',
    {
      config: { access: 'write', idempotency: { redact: ['secret'] } },
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'Give an endpoint a new signing secret; the previous one keeps signing for 24 hours',
        tags,
        description:
          'Answers the new secret, shown this once. For 24 hours every message carries two signatures (new and ' +
          'previous secret, space-separated in `webhook-signature`), so receivers switch secrets without losing one.',
        params: WebhookParamsSchema,
        response: { 200: withHeaders(NamedRef(WebhookWithSecretSchema), 'ETag'), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const { webhook, version } = await rotateWebhookSecret(deps, contextOf(request), request.params.webhookId);
      return withEtag(reply, version).send(webhook);
    },
  );

  app.post(
    '/v1/webhooks/:webhookId/ping',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'pingWebhook',
        summary: 'Send a signed `webhook.ping` message to the endpoint now',
        tags,
        description: 'Queued like any delivery (follow it in the deliveries list); sent even to a disabled endpoint.',
        params: WebhookParamsSchema,
        response: { 202: NamedRef(WebhookDeliverySchema), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await pingWebhook(deps, contextOf(request), request.params.webhookId)),
  );

  app.get(
    '/v1/webhooks/:webhookId/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: 'The messages sent to an endpoint, newest first, with every attempt',
        tags,
        params: WebhookParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(WebhookDeliverySchema), ...problems('BAD_REQUEST', 'NOT_FOUND') },
      },
    },
    async (request) => listWebhookDeliveries(deps, contextOf(request), request.params.webhookId, request.query),
  );

  app.post(
    '/v1/webhooks/:webhookId/deliveries/:deliveryId/redeliver',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'redeliverWebhookMessage',
        summary: 'Send a delivered or failed message again, with the same `webhook-id` and body',
        tags,
        description:
          'One more attempt, now (a failed one is not retried further). 409 while an attempt is still planned.',
        params: DeliveryParamsSchema,
        response: { 202: NamedRef(WebhookDeliverySchema), ...problems('NOT_FOUND', 'INVALID_TRANSITION') },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await redeliverWebhookMessage(deps, contextOf(request), request.params.webhookId, request.params.deliveryId),
        ),
  );
};
