import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors/error-catalogue';
import { recordAudit } from '../../platform/audit/audit';
import { EVENT_TYPES, isEventType } from '../../platform/audit/event-types';
import { assertStructureAccess } from '../../platform/auth/authorization';
import { isOperator, visibleStructureIds, type Caller } from '../../platform/auth/caller';
import { enqueueJob } from '../../platform/jobs/job-queue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import type { SecretBox } from '../../platform/secret-box';
import { assertIfMatch } from '../../shared/etag';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Executor } from '../../db/database';
import { findExistingStructureIds } from '../structures';
import { assertWebhookUrlAllowed, type WebhookAddressPolicy } from './webhook-address-guard';
import { generateWebhookSecret } from './webhook-signing';
import { deliverWebhookJob } from './webhooks.jobs';
import {
  deleteWebhookRow,
  findDelivery,
  findWebhook,
  insertDelivery,
  insertWebhook,
  planRedelivery,
  selectDeliveries,
  selectWebhooks,
  updateWebhookRow,
  type WebhookRow,
} from './webhooks.repository';
import type { CreateWebhookBody, UpdateWebhookBody, Webhook, WebhookWithSecret } from './webhooks.schemas';
import { auditStructureOf, toWebhook } from './webhook-view';
import { toDelivery } from './webhook-deliveries';
import type { WebhookDelivery } from './webhooks.schemas';

export interface WebhookDependencies extends ServiceDependencies {
  readonly secrets: SecretBox;
  readonly policy: WebhookAddressPolicy;
}

/** An endpoint as answered, with the version its ETag carries. */
export interface VersionedWebhook<Resource extends Webhook = Webhook> {
  webhook: Resource;
  version: number;
}

const versioned = (row: WebhookRow): VersionedWebhook => ({ webhook: toWebhook(row), version: row.version });

/** After a rotation the previous secret signs too for this long, so receivers can switch without losing a message. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** Like API keys: operators see every endpoint; others those covering only their own structures. */
function canSee(caller: Caller, row: WebhookRow): boolean {
  if (isOperator(caller)) return true;
  return row.structureIds.length > 0 && row.structureIds.every((id) => caller.structureIds.includes(id));
}

async function loadVisible(executor: Executor, caller: Caller, id: string, lock = false): Promise<WebhookRow> {
  const row = await findWebhook(executor, id, { lock });
  if (!row || !canSee(caller, row)) throw new AppError('NOT_FOUND', 'Webhook not found');
  return row;
}

const KNOWN_PREFIXES = new Set(EVENT_TYPES.map((type) => type.slice(0, type.indexOf('.') + 1)));

function assertKnownEvents(events: readonly string[]): void {
  const unknown = events.filter(
    (selector) => selector !== '*' && !(selector.endsWith('.') ? KNOWN_PREFIXES.has(selector) : isEventType(selector)),
  );
  if (unknown.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `Unknown event type: ${unknown.join(', ')}`,
      unknown.map((selector) => ({
        field: 'events',
        code: 'UNKNOWN_EVENT_TYPE',
        message: `${selector}: use the types of the Event schema, their prefixes ending with \`.\`, or \`*\``,
      })),
    );
}

/**
 * The structures an endpoint covers follow the scoping rule of every other id: one the caller
 * cannot see does not exist for it (404), whether or not it exists. Only operators cover all.
 */
async function assertCoverable(executor: Executor, caller: Caller, structureIds: readonly string[]): Promise<void> {
  if (structureIds.length === 0 && !isOperator(caller))
    throw new AppError('BUSINESS_RULE_VIOLATED', 'An endpoint covers at least one of your structures', [
      { field: 'structureIds', code: 'STRUCTURES_REQUIRED', message: 'List the structures whose events it receives' },
    ]);
  for (const id of structureIds) assertStructureAccess(caller, id, 'write', 'Structure');
  const existing = await findExistingStructureIds(executor, structureIds);
  if (existing.length < structureIds.length) throw new AppError('NOT_FOUND', 'Structure not found');
}

export async function createWebhook(
  deps: WebhookDependencies,
  context: RequestContext,
  body: CreateWebhookBody,
): Promise<VersionedWebhook<WebhookWithSecret>> {
  assertKnownEvents(body.events);
  await assertWebhookUrlAllowed(body.url, deps.policy);
  const secret = generateWebhookSecret();
  return deps.db.transaction(async (tx) => {
    await assertCoverable(tx, context.caller, body.structureIds);
    const now = deps.clock.now();
    const row = await insertWebhook(tx, {
      url: body.url,
      description: body.description,
      eventTypes: body.events,
      structureIds: body.structureIds,
      enabled: body.enabled,
      secretCiphertext: deps.secrets.seal(secret),
      createdBy: context.caller.id,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: row.id,
      structureId: auditStructureOf(row),
      after: toWebhook(row),
    });
    return { webhook: { ...toWebhook(row), secret }, version: row.version };
  });
}

export async function listWebhooks(
  deps: ServiceDependencies,
  context: RequestContext,
  query: { limit: number; cursor?: string },
): Promise<Page<Webhook>> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectWebhooks(deps.db, {
    withinStructures: visibleStructureIds(context.caller),
    before: after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], toWebhook);
}

export async function getWebhook(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
): Promise<VersionedWebhook> {
  return versioned(await loadVisible(deps.db, context.caller, id));
}

export async function updateWebhook(
  deps: WebhookDependencies,
  context: RequestContext,
  id: string,
  body: UpdateWebhookBody,
  ifMatch: number[] | '*' | undefined,
): Promise<VersionedWebhook> {
  if (body.events) assertKnownEvents(body.events);
  if (body.url !== undefined) await assertWebhookUrlAllowed(body.url, deps.policy);
  return deps.db.transaction(async (tx) => {
    const before = await loadVisible(tx, context.caller, id, true);
    assertIfMatch(ifMatch, before.version);
    if (body.structureIds) await assertCoverable(tx, context.caller, body.structureIds);
    const reenabled = body.enabled === true && !before.enabled;
    const row = await updateWebhookRow(tx, id, {
      url: body.url,
      description: body.description,
      eventTypes: body.events,
      structureIds: body.structureIds,
      enabled: body.enabled,
      ...(body.enabled !== undefined ? { disabledReason: null } : {}),
      ...(reenabled ? { failingSince: null } : {}),
      updatedAt: deps.clock.now(),
    });
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'webhook.updated',
      targetType: 'webhook',
      targetId: id,
      structureId: auditStructureOf(row),
      before: toWebhook(before),
      after: toWebhook(row),
    });
    return versioned(row);
  });
}

export async function deleteWebhook(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
  ifMatch: number[] | '*' | undefined,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await loadVisible(tx, context.caller, id, true);
    assertIfMatch(ifMatch, before.version);
    await deleteWebhookRow(tx, id);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'webhook.deleted',
      targetType: 'webhook',
      targetId: id,
      structureId: auditStructureOf(before),
      before: toWebhook(before),
    });
  });
}

/** A new secret, shown once; the current one keeps signing beside it for `ROTATION_OVERLAP_MS`. */
export async function rotateWebhookSecret(
  deps: WebhookDependencies,
  context: RequestContext,
  id: string,
): Promise<VersionedWebhook<WebhookWithSecret>> {
  const secret = generateWebhookSecret();
  return deps.db.transaction(async (tx) => {
    const before = await loadVisible(tx, context.caller, id, true);
    const now = deps.clock.now();
    const row = await updateWebhookRow(tx, id, {
      secretCiphertext: deps.secrets.seal(secret),
      previousSecretCiphertext: before.secretCiphertext,
      previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      updatedAt: now,
    });
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'webhook.secret_rotated',
      targetType: 'webhook',
      targetId: id,
      structureId: auditStructureOf(row),
      before: toWebhook(before),
      after: toWebhook(row),
    });
    return { webhook: { ...toWebhook(row), secret }, version: row.version };
  });
}

/** Sends a `webhook.ping` message now, through the same queue, signing and guard as events. */
export async function pingWebhook(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
): Promise<WebhookDelivery> {
  return deps.db.transaction(async (tx) => {
    const webhook = await loadVisible(tx, context.caller, id);
    const now = deps.clock.now();
    const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
    const row = await insertDelivery(tx, {
      webhookId: webhook.id,
      messageId,
      eventType: 'webhook.ping',
      payload: { id: messageId, type: 'webhook.ping', occurredAt: now.toISOString(), data: { webhookId: webhook.id } },
      nextAttemptAt: now,
      createdAt: now,
    });
    await enqueueJob(tx, deliverWebhookJob, { deliveryIds: [row.id], attempt: 1 });
    // A message sent on request to an outside address: who asked is kept, like any change.
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'webhook.pinged',
      targetType: 'webhook_delivery',
      targetId: row.id,
      structureId: auditStructureOf(webhook),
      after: toDelivery(row),
    });
    return toDelivery(row);
  });
}

export async function listWebhookDeliveries(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
  query: { limit: number; cursor?: string },
): Promise<Page<WebhookDelivery>> {
  await loadVisible(deps.db, context.caller, id);
  const after = decodeCursor(query.cursor, 2);
  const rows = await selectDeliveries(deps.db, id, {
    before: after,
    limit: query.limit,
  });
  return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], toDelivery);
}

/**
 * Sends a delivery again, with the same `webhook-id` and body (receivers deduplicate on the id).
 * Refused while an attempt is still planned: two attempts of one message would race.
 */
export async function redeliverWebhookMessage(
  deps: ServiceDependencies,
  context: RequestContext,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  return deps.db.transaction(async (tx) => {
    const webhook = await loadVisible(tx, context.caller, webhookId);
    const delivery = await findDelivery(tx, webhookId, deliveryId);
    if (!delivery) throw new AppError('NOT_FOUND', 'Delivery not found');
    if (delivery.status === 'pending')
      throw new AppError('INVALID_TRANSITION', 'An attempt of this delivery is already planned', undefined, {
        currentState: 'pending',
      });
    const row = await planRedelivery(tx, deliveryId, deps.clock.now());
    await enqueueJob(tx, deliverWebhookJob, { deliveryIds: [deliveryId], attempt: delivery.attemptCount + 1 });
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'webhook.redelivery_requested',
      targetType: 'webhook_delivery',
      targetId: deliveryId,
      structureId: auditStructureOf(webhook),
      before: toDelivery(delivery),
      after: toDelivery(row),
    });
    return toDelivery(row);
  });
}
