import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { scopedResource } from '../../platform/auth/authentication.plugin';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { ifMatchOf, withEtag } from '../../shared/etag';
import { IfMatchHeadersSchema } from '../../shared/schemas';
import { MailboxParamsSchema } from '../mailboxes/mailboxes.schemas';
import { CorrespondenceViewSchema, PutCorrespondenceBodySchema } from './correspondences.schemas';
import { deleteCorrespondence, getCorrespondence, putCorrespondence } from './correspondences.service';

const tags = ['MSSanté correspondence'];
const SHARED_ETAG =
  "The ETag is the mailbox's: the address is part of the mailbox representation, so assigning or withdrawing it " +
  "changes the mailbox's ETag too, and `If-Match` takes either.";

export const correspondencesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.get(
    '/v1/mailboxes/:mailboxId/correspondence',
    {
      schema: {
        operationId: 'getCorrespondence',
        summary: "The mailbox's MSSanté address and the ones it held before",
        tags,
        description:
          'Always 200 for a visible mailbox: `current` is null when the box has no address (never had one, or it was ' +
          'withdrawn). `history` lists the withdrawn addresses the box held in its current structure, newest first ' +
          '(addresses held under a former structure stay with that structure). ' +
          SHARED_ETAG,
        params: MailboxParamsSchema,
        response: { 200: withHeaders(NamedRef(CorrespondenceViewSchema), 'ETag'), ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const record = scopedResource(request, 'mailboxId');
      const { view, version } = await getCorrespondence(deps, contextOf(request), record);
      return withEtag(reply, version).send(view);
    },
  );

  app.put(
    '/v1/mailboxes/:mailboxId/correspondence',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'putCorrespondence',
        summary: 'Give the mailbox the MSSanté address localPart@domain, or change it',
        tags,
        description:
          'Always 200 with the view. PER, INT, ORG and APP boxes only (MED: 422 `CORRESPONDENCE_FORBIDDEN`); not on a ' +
          'deleted box (409). Only a `preregistered` or `valid` box is given an address or a new one (else 422 ' +
          '`STATUS_FORBIDS_CORRESPONDENCE` naming `status`): a `pending` sign-up is validated first, a `rejected` box never ' +
          'gets one, a `deactivated` box keeps the one it holds (the same address again is still a 200) but is reactivated ' +
          'before it gets another. A status that may not hold one (deleted, rejected, pending) withdraws it. ' +
          "The domain must be one of the structure's (422 naming `domain`; omitted = the first one); " +
          'the local part follows our syntax (422 naming `localPart`). An address active on another box is a 409 ' +
          "`ADDRESS_TAKEN`; withdrawn addresses are free again. A box without an address takes a place in its structure's " +
          'quota family (personal: PER and INT; organisational: ORG; applicative: APP), 422 `QUOTA_EXCEEDED` when none is ' +
          "left; changing an address keeps the box's place. A change withdraws the old address (kept in `history`) and " +
          "starts a new one, as the ANS sees it. The same address again changes nothing. A test account's address is " +
          'marked `isTest` and never published. Audited as `correspondence.assigned` or `correspondence.changed`. ' +
          SHARED_ETAG,
        params: MailboxParamsSchema,
        headers: IfMatchHeadersSchema,
        body: PutCorrespondenceBodySchema,
        response: {
          200: withHeaders(NamedRef(CorrespondenceViewSchema), 'ETag'),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'ADDRESS_TAKEN',
            'INVALID_TRANSITION',
            'PRECONDITION_FAILED',
            'BUSINESS_RULE_VIOLATED',
            'QUOTA_EXCEEDED',
          ),
        },
      },
    },
    async (request, reply) => {
      const { view, version } = await putCorrespondence(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.body,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(view);
    },
  );

  app.delete(
    '/v1/mailboxes/:mailboxId/correspondence',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'deleteCorrespondence',
        summary: "Withdraw the mailbox's MSSanté address (kept as history)",
        tags,
        description:
          'Answers 200 with the view (`current` null, the withdrawn address first in `history`). A box without an address ' +
          'answers the same, changing nothing. Not on a deleted box (409; its address was withdrawn when it was deleted). ' +
          'Audited as `correspondence.withdrawn`. ' +
          SHARED_ETAG,
        params: MailboxParamsSchema,
        headers: IfMatchHeadersSchema,
        response: {
          200: withHeaders(NamedRef(CorrespondenceViewSchema), 'ETag'),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'PRECONDITION_FAILED'),
        },
      },
    },
    async (request, reply) => {
      const { view, version } = await deleteCorrespondence(
        deps,
        contextOf(request),
        request.params.mailboxId,
        ifMatchOf(request),
      );
      return withEtag(reply, version).send(view);
    },
  );
};
