import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { scopedResource } from '../../platform/auth/authentication.plugin';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { findMailboxPrepared } from '../mailboxes';
import { MailboxParamsSchema } from '../mailboxes/mailboxes.schemas';
import { listAccessibleMailboxes, updateAccessibleMailbox } from './accessible-mailboxes.service';
import {
  AccessibleMailboxParamsSchema,
  AccessibleMailboxSchema,
  UpdateAccessibleMailboxBodySchema,
} from './connection-accounts.schemas';

const tags = ['Connection accounts'];
const SIDE =
  'The nominative side of connection accounts: the ORG and APP boxes this PER, MED or INT login opens ("l\'ensemble des ' +
  'comptes auxquels vous avez accès"), the same links as `…/{sharedMailboxId}/connection-accounts` lists from the shared ' +
  'side. When no box is the default, the login opens its own box at sign-in.';

/** "L'ensemble des comptes auxquels vous avez accès": the links seen from the login's side. */
export const accessibleMailboxesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  // …/accessible-mailboxes/{sharedMailboxId}: scoped by the shared box's own structure (links never cross structures).
  app.registerStructureResolver('sharedMailboxId', async (id) => {
    const record = await findMailboxPrepared(app.db, id);
    return record && { structureId: record.mailbox.structureId };
  });

  app.get(
    '/v1/mailboxes/:mailboxId/accessible-mailboxes',
    {
      schema: {
        operationId: 'listAccessibleMailboxes',
        summary: 'The shared boxes this nominative login can open, with its default and notification settings',
        tags,
        description: `${SIDE} Ordered by e-mail. A box that is no login (ORG, APP) opens none: the list is empty.`,
        params: MailboxParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(AccessibleMailboxSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) =>
      listAccessibleMailboxes(deps, contextOf(request), scopedResource(request, 'mailboxId'), request.query),
  );

  app.patch(
    '/v1/mailboxes/:mailboxId/accessible-mailboxes/:sharedMailboxId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'updateAccessibleMailbox',
        summary: "Choose the login's default box, or its receipt notification for one box",
        tags,
        description:
          `${SIDE} Sets the flags given and keeps the others. \`isDefault: true\` makes this box the one the login opens ` +
          "at sign-in and unsets its previous default in the same step (this side sees all of the login's boxes; the " +
          'shared side, which sees one, answers 409 `DEFAULT_TAKEN` instead); `isDefault: false` returns the login to its ' +
          'own box. A box the login does not open is a 404; a deleted login or shared box is a 409. Each link changed is ' +
          'audited as `connection_account.updated` (on the shared box, cause `{ side: "account" }`). Links are not ' +
          'versioned (no ETag): writes to one login take turns, and a PATCH names only the flags it changes.',
        params: AccessibleMailboxParamsSchema,
        body: UpdateAccessibleMailboxBodySchema,
        response: {
          200: NamedRef(AccessibleMailboxSchema),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION'),
        },
      },
    },
    async (request) =>
      updateAccessibleMailbox(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.params.sharedMailboxId,
        request.body,
      ),
  );
};
