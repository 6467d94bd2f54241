import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_IDS } from '../../domain/contract-examples';
import { Named } from '../../shared/named-schemas';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, Defaulted, IdSchema, Nullable, StringEnum } from '../../shared/schemas';

const EventSelectorSchema = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'An event type (`mailbox.created`), a prefix ending with `.` (`mailbox.`), or `*` for every type',
});

const UrlSchema = Type.String({
  minLength: 8,
  maxLength: 2000,
  description:
    'Where messages are POSTed. `https` only (unless `BALISE_WEBHOOKS_ALLOW_HTTP`); a host resolving to a loopback, ' +
    'private, link-local (cloud metadata) or reserved address is refused here and again at every delivery ' +
    '(unless `BALISE_WEBHOOKS_ALLOW_PRIVATE`). Redirects are not followed.',
  examples: ['https://dpi.example.org/balise/webhooks'],
});

export const CreateWebhookBodySchema = Type.Object(
  {
    url: UrlSchema,
    events: Type.Array(EventSelectorSchema, { minItems: 1, maxItems: 100, uniqueItems: true }),
    structureIds: Defaulted(
      Type.Array(IdSchema, {
        default: [],
        maxItems: 1000,
        uniqueItems: true,
        description:
          'The structures whose events it receives, each within your key’s structures. Empty (operators only): ' +
          'every structure, and the events that belong to none (API keys)',
      }),
    ),
    description: Defaulted(Type.String({ maxLength: 500, default: '' })),
    enabled: Defaulted(Type.Boolean({ default: true })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        url: 'https://dpi.example.org/balise/webhooks',
        events: ['mailbox.created', 'mailbox.validated'],
        structureIds: [EXAMPLE_IDS.structure],
        description: 'DPI provisioning',
      },
    ],
  },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBodySchema>;

export const UpdateWebhookBodySchema = Type.Object(
  {
    url: Type.Optional(UrlSchema),
    events: Type.Optional(Type.Array(EventSelectorSchema, { minItems: 1, maxItems: 100, uniqueItems: true })),
    structureIds: Type.Optional(Type.Array(IdSchema, { maxItems: 1000, uniqueItems: true })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(
      Type.Boolean({ description: 'Turning an endpoint back on clears its failure record (`failingSince`)' }),
    ),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ enabled: false }] },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBodySchema>;

const webhookProperties = {
  id: IdSchema,
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  structureIds: Type.Array(IdSchema),
  enabled: Type.Boolean(),
  disabledReason: Nullable(Type.String(), {
    description: '`failing`: Balise turned it off after five days of failed deliveries (the contact was told)',
  }),
  failingSince: Nullable(Type.String({ format: 'date-time' }), {
    description: 'The first failed attempt since the last success',
  }),
  previousSecretExpiresAt: Nullable(Type.String({ format: 'date-time' }), {
    description: 'Until then, after a rotation, the previous secret signs too',
  }),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
};

export const WebhookSchema = Listed(
  'Webhook',
  Type.Object(webhookProperties, { description: 'An endpoint receiving events (no secret)' }),
);
export type Webhook = Static<typeof WebhookSchema>;

export const WebhookWithSecretSchema = Named(
  'WebhookWithSecret',
  Type.Object({
    ...webhookProperties,
    secret: Type.Optional(
      Type.String({
        description:
          'The signing secret (`whsec_…`, Standard Webhooks), shown in this answer only: store it now. Stored ' +
          'encrypted (it is needed in clear to sign); absent from an idempotent replay (`Idempotent-Redacted: secret`)',
        examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      }),
    ),
  }),
);
export type WebhookWithSecret = Static<typeof WebhookWithSecretSchema>;

export const WebhookParamsSchema = Type.Object({ webhookId: IdSchema });
export const DeliveryParamsSchema = Type.Object({ webhookId: IdSchema, deliveryId: IdSchema });

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const WebhookDeliverySchema = Listed(
  'WebhookDelivery',
  Type.Object({
    id: IdSchema,
    webhookId: IdSchema,
    messageId: Type.String({ description: 'The `webhook-id` header: the event id, the same on every attempt' }),
    eventType: Type.String({ description: 'An event type, or `webhook.ping`' }),
    status: StringEnum(DELIVERY_STATUSES, {
      description: '`pending` while attempts remain; `failed` after the last one (or when the endpoint was disabled)',
    }),
    attempts: Type.Array(
      Type.Object({
        at: DateTimeSchema,
        statusCode: Nullable(Type.Integer(), { description: 'null: no answer (refused, timeout, network)' }),
        durationMs: Type.Integer(),
        error: Nullable(Type.String()),
      }),
    ),
    nextAttemptAt: Nullable(Type.String({ format: 'date-time' }), { description: 'null once no attempt is planned' }),
    createdAt: DateTimeSchema,
  }),
);
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>;
