import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { scopedResource } from '../../platform/auth/authentication.plugin';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { ifMatchOf, withEtag } from '../../shared/etag';
import { PageQuerySchema, pageSchema, sendJsonPage } from '../../shared/pagination';
import { IdempotencyHeadersSchema, IfMatchHeadersSchema } from '../../shared/schemas';
import { toMailbox } from './mailbox-mapper';
import { changeMailboxStatus } from './mailbox-status.service';
import { findMailboxPrepared, type MailboxRecord } from './mailboxes.repository';
import {
  CreateMailboxBodySchema,
  MailboxCountsQuerySchema,
  MailboxCountsSchema,
  MailboxListQuerySchema,
  MailboxParamsSchema,
  MailboxSchema,
  UpdateMailboxBodySchema,
} from './mailboxes.schemas';
import { countMailboxes, createMailbox, listMailboxes, updateMailbox } from './mailboxes.service';

declare module '../../platform/auth/authentication.plugin' {
  interface ScopedResources {
    /** Loaded while scoping: the box of /v1/mailboxes/{mailboxId}/…, for this module's handlers and the modules under that path. */
    mailboxId: MailboxRecord;
  }
}

const tags = ['Mailboxes'];

export const mailboxesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  // Scoping of /v1/mailboxes/{mailboxId}/…: the box's structure, loaded once and handed to the handler.
  app.registerStructureResolver('mailboxId', async (id) => {
    const record = await findMailboxPrepared(app.db, id);
    return record && { structureId: record.mailbox.structureId, resource: record };
  });

  app.post(
    '/v1/mailboxes',
    {
      config: { access: 'write', scope: { body: 'structureId' } },
      schema: {
        operationId: 'createMailbox',
        summary: 'Create a mailbox (pre-registered)',
        tags,
        description:
          'The box starts `preregistered` and unlisted. With `notify`, an invitation carrying a registration token is queued ' +
          'to its reference address; MED, PER and INT boxes only (the deck: an ORG or APP reference address has no person ' +
          'to complete a registration): `notify` on an ORG or APP box is a 422 `INVITATION_NOT_FOR_TYPE` naming `notify`.',
        headers: IdempotencyHeadersSchema,
        body: CreateMailboxBodySchema,
        response: {
          201: withHeaders(NamedRef(MailboxSchema), 'ETag', 'Location'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'EMAIL_TAKEN',
            'ADDRESS_TAKEN',
            'BUSINESS_RULE_VIOLATED',
            'QUOTA_EXCEEDED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await createMailbox(deps, contextOf(request), request.body);
      return withEtag(reply.code(201), version).header('location', `/v1/mailboxes/${mailbox.id}`).send(mailbox);
    },
  );

  app.get(
    '/v1/mailboxes',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listMailboxes',
        summary: 'List and search mailboxes',
        tags,
        description:
          'Deleted boxes are listed only with `status=deleted`. The cursor is tied to the sort order. ' +
          'With `q`, the list is ordered by rank first (how many of the typed words a box holds whole, a word typed twice ' +
          'counting once, highest first), ' +
          "then by `sort`; the cursor carries the last box's rank with its sort key, so the pages of one search " +
          "neither skip nor repeat a box. Page with the same `q` and `sort`: a list's cursor is refused in a search (400).",
        querystring: Type.Composite([PageQuerySchema, MailboxListQuerySchema]),
        response: { 200: pageSchema(MailboxSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => sendJsonPage(reply, await listMailboxes(deps, contextOf(request), request.query)),
  );

  app.get(
    '/v1/mailboxes/counts',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'countMailboxes',
        summary: "The console's tabs: boxes per status and pending change-of-mail requests",
        tags,
        querystring: MailboxCountsQuerySchema,
        response: { 200: NamedRef(MailboxCountsSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => countMailboxes(deps, contextOf(request), request.query.structureId),
  );

  app.get(
    '/v1/mailboxes/:mailboxId',
    {
      schema: {
        operationId: 'getMailbox',
        summary: 'Get a mailbox',
        tags,
        params: MailboxParamsSchema,
        response: { 200: withHeaders(NamedRef(MailboxSchema), 'ETag'), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const record = scopedResource(request, 'mailboxId');
      return withEtag(reply, record.mailbox.version).send(toMailbox(record));
    },
  );

  app.patch(
    '/v1/mailboxes/:mailboxId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateMailbox',
        summary: "Change a mailbox's fields",
        tags,
        params: MailboxParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateMailboxBodySchema,
        response: {
          200: withHeaders(NamedRef(MailboxSchema), 'ETag'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'EMAIL_TAKEN',
            'INVALID_TRANSITION',
            'PRECONDITION_FAILED',
            'BUSINESS_RULE_VIOLATED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await updateMailbox(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.body,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(mailbox);
    },
  );

  app.delete(
    '/v1/mailboxes/:mailboxId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteMailbox',
        summary: 'Delete a mailbox (soft: kept for the retention period, address withdrawn)',
        tags,
        params: MailboxParamsSchema,
        headers: IfMatchHeadersSchema,
        response: {
          200: withHeaders(NamedRef(MailboxSchema), 'ETag'),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'PRECONDITION_FAILED'),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await changeMailboxStatus(
        deps,
        contextOf(request),
        request.params.mailboxId,
        'delete',
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(mailbox);
    },
  );
};
