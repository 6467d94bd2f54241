import type { WebhookRow } from './webhooks.repository';
import type { Webhook } from './webhooks.schemas';

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.eventTypes,
    structureIds: row.structureIds,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The structure of a webhook's audit entry and event: its one structure, so that structure's
 * admins read it in the feed; an endpoint covering several (or all) is an operator-level change.
 */
export const auditStructureOf = (row: Pick<WebhookRow, 'structureIds'>) =>
  row.structureIds.length === 1 ? row.structureIds[0]! : null;
