import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { scopedResource } from '../../platform/auth/authentication.plugin';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { IdempotencyHeadersSchema } from '../../shared/schemas';
import { findMailboxPrepared } from '../mailboxes';
import { MailboxParamsSchema } from '../mailboxes/mailboxes.schemas';
import { AddDelegateBodySchema, DelegateParamsSchema, DelegateSchema } from './delegates.schemas';
import { addDelegate, listDelegates, removeDelegate } from './delegates.service';

const tags = ['Delegates'];

export const delegatesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  // …/delegates/{delegateMailboxId}: scoped by the delegate box's own structure (delegations never cross structures).
  app.registerStructureResolver('delegateMailboxId', async (id) => {
    const record = await findMailboxPrepared(app.db, id);
    return record && { structureId: record.mailbox.structureId };
  });

  app.get(
    '/v1/mailboxes/:mailboxId/delegates',
    {
      schema: {
        operationId: 'listDelegates',
        summary: 'The delegates of a nominative box',
        tags,
        description: 'Ordered by e-mail. ORG and APP boxes have none: the list is empty.',
        params: MailboxParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(DelegateSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => {
      const owner = scopedResource(request, 'mailboxId');
      return listDelegates(deps, contextOf(request), owner, request.query);
    },
  );

  app.post(
    '/v1/mailboxes/:mailboxId/delegates',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'addDelegate',
        summary: 'Give a nominative box a delegate',
        tags,
        description:
          'The delegate is named by `delegateMailboxId` or by its reference `email` (exactly one, else 400). Both boxes ' +
          'are nominative (PER, MED, INT): an ORG or APP box has no delegates (422 `NOT_A_NOMINATIVE_MAILBOX`) and cannot ' +
          'be one (422 `DELEGATE_NOT_NOMINATIVE`). The delegate belongs to the same structure and is pre-registered, pending ' +
          'or valid: a deactivated, rejected or deleted box is refused (422 `DELEGATE_INACTIVE`), a box of another structure ' +
          'is reported as unknown (422 `DELEGATE_UNKNOWN`, revealing nothing), a box cannot delegate to itself (422 ' +
          '`SELF_DELEGATION`). A delegate listed already is a 409 `ALREADY_LINKED`; a deleted box changes nothing (409). ' +
          'Audited as `delegate.added`.',
        params: MailboxParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: AddDelegateBodySchema,
        response: {
          201: NamedRef(DelegateSchema),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'ALREADY_LINKED', 'INVALID_TRANSITION', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const added = await addDelegate(deps, contextOf(request), request.params.mailboxId, request.body);
      return reply.code(201).send(added);
    },
  );

  app.delete(
    '/v1/mailboxes/:mailboxId/delegates/:delegateMailboxId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'removeDelegate',
        summary: 'Remove a delegate',
        tags,
        description: 'A box that is not a delegate of this one is a 404. Audited as `delegate.removed`.',
        params: DelegateParamsSchema,
        response: {
          204: Type.Null({ description: 'Removed' }),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      await removeDelegate(deps, contextOf(request), request.params.mailboxId, request.params.delegateMailboxId);
      return reply.code(204).send(null);
    },
  );
};
