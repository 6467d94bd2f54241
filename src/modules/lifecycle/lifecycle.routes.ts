import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { scopedResource } from '../../platform/auth/authentication.plugin';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { ifMatchOf, withEtag } from '../../shared/etag';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { IdempotencyHeadersSchema, IfMatchHeadersSchema } from '../../shared/schemas';
import { MailboxParamsSchema, MailboxSchema } from '../mailboxes/mailboxes.schemas';
import { restoreMailbox } from './lifecycle-restore.service';
import { listUpcoming, recordMailboxActivity, sweepNow } from './lifecycle.service';
import {
  ActivityBodySchema,
  RestoreBodySchema,
  SweepReportSchema,
  UpcomingItemSchema,
  UpcomingQuerySchema,
} from './lifecycle.schemas';

const tags = ['Lifecycle'];

export const lifecycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  const policy = app.config.lifecycle;

  app.post(
    '/v1/mailboxes/:mailboxId/activity',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'recordMailboxActivity',
        summary: 'Record that a mailbox was used (the mail platform calls it)',
        tags: ['Mailboxes', ...tags],
        description:
          'For the mail platform, which holds an operator key (admins and readers: 403). Sets `lastActivityAt` to the reported ' +
          'time (`at`, default now; a future time counts as now) unless it already is later: the value only moves forward, so ' +
          'concurrent and repeated calls are safe and the latest wins. Inactivity deletion counts from the latest of the last ' +
          'activity, creation, registration and restoration. Not audited (usage, not an administrative change), and it changes ' +
          "neither `updatedAt` nor the ETag, so it never makes an admin's If-Match fail. A deleted box answers 409.",
        params: MailboxParamsSchema,
        body: ActivityBodySchema,
        response: {
          204: Type.Null({ description: 'Recorded' }),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION'),
        },
      },
    },
    async (request, reply) => {
      const record = scopedResource(request, 'mailboxId');
      await recordMailboxActivity(deps, contextOf(request), record, request.body ?? null);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/mailboxes/:mailboxId/restore',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'restoreMailbox',
        summary: 'Restore a deleted mailbox within the retention period',
        tags: ['Mailboxes', ...tags],
        description:
          `Operators, and admins of the box's structure. Back to the status the deletion interrupted. Possible for ` +
          `${policy.retentionMonths} months after the deletion and before the purge (409 \`RETENTION_EXPIRED\` after), ` +
          'if the reference e-mail is still free (409 `EMAIL_TAKEN`). The MSSanté address the deletion withdrew comes back as ' +
          'a new active row (the withdrawn one stays in the history) when it is still free (else 409 `ADDRESS_TAKEN`), on a ' +
          'domain the structure still owns and within its quota (else 422); with `withoutCorrespondence: true` the box is ' +
          "restored anyway, without an address (`correspondence: null`; the audit event's cause names the address not restored). " +
          'A box going back to a status that may not hold an address (`rejected`, `pending`) comes back without it, as if ' +
          '`withoutCorrespondence` were given. ' +
          'The inactivity period starts again from the restoration. Audited as `mailbox.restored`.',
        params: MailboxParamsSchema,
        headers: Type.Composite([IfMatchHeadersSchema, IdempotencyHeadersSchema]),
        body: RestoreBodySchema,
        response: {
          200: withHeaders(NamedRef(MailboxSchema), 'ETag'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'INVALID_TRANSITION',
            'RETENTION_EXPIRED',
            'EMAIL_TAKEN',
            'ADDRESS_TAKEN',
            'PRECONDITION_FAILED',
            'BUSINESS_RULE_VIOLATED',
            'QUOTA_EXCEEDED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await restoreMailbox(
        deps,
        policy,
        contextOf(request),
        request.params.mailboxId,
        ifMatchOf(request),
        request.body ?? null,
      );
      return withEtag(reply, version).send(mailbox);
    },
  );

  app.post(
    '/v1/lifecycle/sweeps',
    {
      config: { access: 'operator' },
      schema: {
        operationId: 'runLifecycleSweep',
        summary: 'Run a lifecycle sweep now and tell what it did',
        tags,
        description:
          'The same sweep as the scheduled one (daily by default), synchronously: (1) deactivate boxes whose expiry date ' +
          `has come (from 00:00 UTC that day); (2) warn owners ${policy.warningDays.join(' and ')} days before an inactivity ` +
          'deletion, through the outbox, once per box, deadline and threshold (only the closest threshold reached, if sweeps ' +
          'were paused), with one digest per structure to its `contactEmail` when set; (3) delete (softly; the MSSanté address ' +
          `is withdrawn from the directory feed) boxes without a sign of life for ${policy.inactivityDays} days, counted from the ` +
          'latest of last activity, creation, registration and restoration; (4) purge the personal data of boxes deleted more ' +
          `than ${policy.retentionMonths} months ago, and their personal values from their audit events and event-feed entries ` +
          '(replaced by `[purged]`, keys kept; actions, actors and dates stay; `mailbox.purged` says how many); (5) delete the uploaded file of imports that ended ' +
          `(succeeded or failed) more than ${policy.importFileRetentionHours} hours ago (\`import.file_deleted\`; the import, its ` +
          'counts and row results stay, its annotated report answers 410 `IMPORT_FILE_DELETED`; a queued or running import keeps ' +
          `its file); (6) delete audit events older than ${policy.auditRetentionMonths} months, oldest first in batches ` +
          '(`audit_trail.pruned` per batch, with how many). Everything is audited with the system actor ' +
          '`lifecycle.sweep` and `cause.sweepId`. Sweeps running at once share the work (row locks, SKIP LOCKED): each change ' +
          'is made once. A box locked by a concurrent write is left to the next sweep. A box already past its deadline when first ' +
          'swept is deleted without waiting for a warning (it can be restored).',
        headers: IdempotencyHeadersSchema,
        response: { 200: NamedRef(SweepReportSchema), ...problems('FORBIDDEN') },
      },
    },
    async (request) => sweepNow(deps, policy, contextOf(request)),
  );

  app.get(
    '/v1/lifecycle/upcoming',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listUpcomingLifecycleEvents',
        summary: 'Boxes due for deactivation (expiry) or deletion (inactivity)',
        tags,
        description:
          'Everything falling due from now to now + `withinDays`, and what is overdue (the next sweep acts on it), ordered by ' +
          "`dueAt`. A box due for both appears once per reason. Admins and readers see their structures' boxes; another " +
          'structure in `structureId` is a 404.',
        querystring: Type.Composite([PageQuerySchema, UpcomingQuerySchema]),
        response: { 200: pageSchema(UpcomingItemSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listUpcoming(deps, policy, contextOf(request), request.query),
  );
};
