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
import { MailboxParamsSchema } from '../mailboxes/mailboxes.schemas';
import { approveEmailChangeRequest } from './email-change-approval.service';
import { toEmailChangeRequest } from './email-change-request-rules';
import { findEmailChangeRequest, type EmailChangeRequestRow } from './email-change-requests.repository';
import {
  CreateEmailChangeRequestBodySchema,
  DecisionBodySchema,
  EmailChangeRequestListQuerySchema,
  EmailChangeRequestParamsSchema,
  EmailChangeRequestSchema,
} from './email-change-requests.schemas';
import {
  closeEmailChangeRequest,
  createEmailChangeRequest,
  listEmailChangeRequests,
} from './email-change-requests.service';

declare module '../../platform/auth/authentication.plugin' {
  interface ScopedResources {
    /** Loaded while scoping: the request of /v1/email-change-requests/{requestId}/…. */
    requestId: EmailChangeRequestRow;
  }
}

const tags = ['Change-of-mail requests'];
const ActionHeadersSchema = Type.Composite([IfMatchHeadersSchema, IdempotencyHeadersSchema]);
const TRANSITION_NOTE =
  'Only a `pending` request can be approved, rejected or cancelled: any other is a 409 `INVALID_TRANSITION` whose problem ' +
  "carries `currentStatus`. `If-Match` takes the request's ETag.";

export const emailChangeRequestsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  app.registerStructureResolver('requestId', async (id) => {
    const row = await findEmailChangeRequest(app.db, id);
    return row && { structureId: row.structureId, resource: row };
  });

  app.post(
    '/v1/mailboxes/:mailboxId/email-change-requests',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'createEmailChangeRequest',
        summary: "Ask to change a mailbox's reference address (its login)",
        tags,
        description:
          'The reference address never changes by PATCH: it changes when a request is approved. `newEmail` must be free across ' +
          'the operator, case-insensitively: held by no mailbox that is not deleted (409 `EMAIL_TAKEN`) and asked for by no other ' +
          'pending request (409 `EMAIL_TAKEN`). The current address, in any case, is a 422 `EMAIL_UNCHANGED`. A mailbox has at most ' +
          'one pending request (409 `EMAIL_CHANGE_PENDING`, carrying `pendingRequestId`); a deleted mailbox takes none ' +
          '(409 `INVALID_TRANSITION`). The request counts in `/v1/mailboxes/counts` while pending.',
        params: MailboxParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: CreateEmailChangeRequestBodySchema,
        response: {
          201: withHeaders(NamedRef(EmailChangeRequestSchema), 'ETag', 'Location'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'EMAIL_TAKEN',
            'EMAIL_CHANGE_PENDING',
            'INVALID_TRANSITION',
            'BUSINESS_RULE_VIOLATED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { request: created, version } = await createEmailChangeRequest(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.body,
      );
      return withEtag(reply.code(201), version)
        .header('location', `/v1/email-change-requests/${created.id}`)
        .send(created);
    },
  );

  app.get(
    '/v1/email-change-requests',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listEmailChangeRequests',
        summary: 'List change-of-mail requests, newest first',
        tags,
        description:
          "Admins and readers see the requests of their structures. A mailbox's requests follow it when it is transferred.",
        querystring: Type.Composite([PageQuerySchema, EmailChangeRequestListQuerySchema]),
        response: { 200: pageSchema(EmailChangeRequestSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listEmailChangeRequests(deps, contextOf(request), request.query),
  );

  app.get(
    '/v1/email-change-requests/:requestId',
    {
      schema: {
        operationId: 'getEmailChangeRequest',
        summary: 'Get a change-of-mail request',
        tags,
        params: EmailChangeRequestParamsSchema,
        response: { 200: withHeaders(NamedRef(EmailChangeRequestSchema), 'ETag'), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const row = scopedResource(request, 'requestId');
      return withEtag(reply, row.version).send(toEmailChangeRequest(row));
    },
  );

  app.post(
    '/v1/email-change-requests/:requestId/approve',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'approveEmailChangeRequest',
        summary: 'Approve a change-of-mail request and apply it to the mailbox',
        tags,
        description:
          `${TRANSITION_NOTE} The address is checked again: taken meanwhile by another mailbox, it is a 409 \`EMAIL_TAKEN\` and ` +
          'the request stays pending (reject or cancel it). A request whose mailbox was deleted is a 409 `INVALID_TRANSITION` ' +
          "with `mailboxStatus`. On success the mailbox's `email` is the new address (its ETag changes), the change is in the " +
          'audit trail of both, and an `email_change` notification to the new address is queued.',
        params: EmailChangeRequestParamsSchema,
        headers: ActionHeadersSchema,
        response: {
          200: withHeaders(NamedRef(EmailChangeRequestSchema), 'ETag'),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'EMAIL_TAKEN', 'INVALID_TRANSITION', 'PRECONDITION_FAILED'),
        },
      },
    },
    async (request, reply) => {
      const { request: approved, version } = await approveEmailChangeRequest(
        deps,
        contextOf(request),
        request.params.requestId,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(approved);
    },
  );

  for (const action of ['reject', 'cancel'] as const) {
    app.post(
      `/v1/email-change-requests/:requestId/${action}`,
      {
        config: { access: 'write' },
        schema: {
          operationId: `${action}EmailChangeRequest`,
          summary:
            action === 'reject' ? 'Reject a change-of-mail request' : 'Cancel (withdraw) a change-of-mail request',
          tags,
          description: `${TRANSITION_NOTE} The mailbox is untouched. An optional \`reason\` is kept on the request.`,
          params: EmailChangeRequestParamsSchema,
          headers: ActionHeadersSchema,
          body: DecisionBodySchema,
          response: {
            200: withHeaders(NamedRef(EmailChangeRequestSchema), 'ETag'),
            ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'PRECONDITION_FAILED'),
          },
        },
      },
      async (request, reply) => {
        const { request: closed, version } = await closeEmailChangeRequest(
          deps,
          contextOf(request),
          request.params.requestId,
          action,
          request.body?.reason,
          ifMatchOf(request),
        );
        return withEtag(reply, version).send(closed);
      },
    );
  }
};
