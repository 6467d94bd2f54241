import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { ifMatchOf, withEtag } from '../../shared/etag';
import { IdempotencyHeadersSchema, IfMatchHeadersSchema } from '../../shared/schemas';
import { Type } from '@sinclair/typebox';
import { changeMailboxType, transferMailbox } from './mailbox-moves.service';
import { changeMailboxStatus, type AdminStatusAction } from './mailbox-status.service';
import { MailboxParamsSchema, MailboxSchema, TransferBodySchema, TypeChangeBodySchema } from './mailboxes.schemas';

const tags = ['Mailboxes'];
const ActionHeadersSchema = Type.Composite([IfMatchHeadersSchema, IdempotencyHeadersSchema]);

const STATUS_ACTIONS: { path: string; action: AdminStatusAction; operationId: string; summary: string }[] = [
  {
    path: 'validate',
    action: 'validate',
    operationId: 'validateMailbox',
    summary: 'Validate a self sign-up (pending → valid)',
  },
  {
    path: 'reject',
    action: 'reject',
    operationId: 'rejectMailbox',
    summary: 'Reject a self sign-up (pending → rejected)',
  },
  { path: 'deactivate', action: 'deactivate', operationId: 'deactivateMailbox', summary: 'Deactivate a mailbox' },
  {
    path: 'reactivate',
    action: 'reactivate',
    operationId: 'reactivateMailbox',
    summary: 'Reactivate a mailbox, back to its former status',
  },
];

export const mailboxActionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  for (const { path, action, operationId, summary } of STATUS_ACTIONS) {
    app.post(
      `/v1/mailboxes/:mailboxId/${path}`,
      {
        config: { access: 'write' },
        schema: {
          operationId,
          summary,
          tags,
          params: MailboxParamsSchema,
          headers: ActionHeadersSchema,
          description:
            'An action the current status forbids is a 409 whose problem carries `currentStatus`. Landing in a status that ' +
            'may not hold an MSSanté address (`deleted`, `rejected`, `pending`) withdraws the one the box holds (kept in the ' +
            "correspondence's history, its quota place freed); `deactivated` keeps it for the reactivation.",
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
          action,
          ifMatchOf(request),
        );
        return withEtag(reply, version).send(mailbox);
      },
    );
  }

  app.post(
    '/v1/mailboxes/:mailboxId/type-change',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'changeMailboxType',
        summary: "Change a mailbox's type, with the fields the new type needs",
        tags,
        description:
          'Fields the new type forbids are cleared unless given (responsible and description when becoming nominative, ' +
          'RPPS and ADELI when becoming ORG/APP). Links that no longer fit are removed: delegates and connection-account ' +
          'roles of a box that stops being nominative, the connection accounts of a box that stops being shared. ' +
          'A box with an MSSanté address cannot become MED, nor one that keeps an RPPS or ADELI (MED is a login ' +
          '"Sans n° RPPS ou ADELI"): send `rpps: null` and `adeli: null` to clear them in the same request.',
        params: MailboxParamsSchema,
        headers: ActionHeadersSchema,
        body: TypeChangeBodySchema,
        response: {
          200: withHeaders(NamedRef(MailboxSchema), 'ETag'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'INVALID_TRANSITION',
            'PRECONDITION_FAILED',
            'BUSINESS_RULE_VIOLATED',
            'QUOTA_EXCEEDED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await changeMailboxType(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.body,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(mailbox);
    },
  );

  app.post(
    '/v1/mailboxes/:mailboxId/transfer',
    {
      config: { access: 'write', scope: { body: 'structureId' } },
      schema: {
        operationId: 'transferMailbox',
        summary: 'Attach a mailbox to another structure (the caller administers both)',
        tags,
        description:
          'The MSSanté address follows the box only when the target structure owns its domain (and has room in its quota); ' +
          "otherwise it is withdrawn and the box needs a new address on one of the target's domains. " +
          'Connection accounts and delegates never cross structures: they are removed.',
        params: MailboxParamsSchema,
        headers: ActionHeadersSchema,
        body: TransferBodySchema,
        response: {
          200: withHeaders(NamedRef(MailboxSchema), 'ETag'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'INVALID_TRANSITION',
            'PRECONDITION_FAILED',
            'BUSINESS_RULE_VIOLATED',
            'QUOTA_EXCEEDED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await transferMailbox(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.body.structureId,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(mailbox);
    },
  );
};
