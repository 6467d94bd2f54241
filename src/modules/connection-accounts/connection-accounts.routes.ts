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
import {
  ConnectionAccountInputSchema,
  ConnectionAccountParamsSchema,
  ConnectionAccountSchema,
  ReplaceConnectionAccountsBodySchema,
} from './connection-accounts.schemas';
import {
  addConnectionAccount,
  listConnectionAccounts,
  removeConnectionAccount,
  replaceConnectionAccounts,
} from './connection-accounts.service';

const tags = ['Connection accounts'];
const RULES =
  'Only ORG and APP boxes have connection accounts (another type: 422 `NOT_A_SHARED_MAILBOX`; a deleted box: 409). ' +
  'An account is a PER, MED or INT box of the same structure, neither deleted nor rejected (a deactivated login may ' +
  'stay listed); it is named by `mailboxId` or by `email` (exactly one, else 400). A box of another structure is ' +
  'reported as unknown (422 `ACCOUNT_UNKNOWN`), never revealed. A login opens at most one box by default across all ' +
  'the boxes it can open: asking for a second default is a 409 `DEFAULT_TAKEN` naming `isDefault` (unset the other ' +
  "one first). The list is not versioned: writes to one box's list take turns.";

export const connectionAccountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  // …/connection-accounts/{accountMailboxId}: scoped by the account box's own structure (links never cross structures).
  app.registerStructureResolver('accountMailboxId', async (id) => {
    const record = await findMailboxPrepared(app.db, id);
    return record && { structureId: record.mailbox.structureId };
  });

  app.get(
    '/v1/mailboxes/:mailboxId/connection-accounts',
    {
      schema: {
        operationId: 'listConnectionAccounts',
        summary: 'The nominative logins allowed to open this ORG or APP box',
        tags,
        description: 'Ordered by e-mail. A box of another type has none: the list is empty.',
        params: MailboxParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(ConnectionAccountSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => {
      const shared = scopedResource(request, 'mailboxId');
      return listConnectionAccounts(deps, contextOf(request), shared, request.query);
    },
  );

  app.put(
    '/v1/mailboxes/:mailboxId/connection-accounts',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'replaceConnectionAccounts',
        summary: 'Replace the whole list of connection accounts',
        tags,
        description:
          'Answers the new list, whole (`nextCursor` null; at most 500 accounts). Accounts kept keep their creation date ' +
          'and take the flags given; the same list again changes nothing. One audit event `connection_accounts.replaced` ' +
          'with the list before and after. Any refused item refuses the whole request, fields named `items.N.…`. ' +
          RULES,
        params: MailboxParamsSchema,
        body: ReplaceConnectionAccountsBodySchema,
        response: {
          200: pageSchema(ConnectionAccountSchema),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'ALREADY_LINKED',
            'DEFAULT_TAKEN',
            'INVALID_TRANSITION',
            'BUSINESS_RULE_VIOLATED',
          ),
        },
      },
    },
    async (request) => replaceConnectionAccounts(deps, contextOf(request), request.params.mailboxId, request.body),
  );

  app.post(
    '/v1/mailboxes/:mailboxId/connection-accounts',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'addConnectionAccount',
        summary: 'Allow one more nominative login to open this box',
        tags,
        description:
          'An account already listed is a 409 `ALREADY_LINKED` (change its flags through PUT). Audited as `connection_account.added`. ' +
          RULES,
        params: MailboxParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: ConnectionAccountInputSchema,
        response: {
          201: NamedRef(ConnectionAccountSchema),
          ...problems(
            'FORBIDDEN',
            'NOT_FOUND',
            'ALREADY_LINKED',
            'DEFAULT_TAKEN',
            'INVALID_TRANSITION',
            'BUSINESS_RULE_VIOLATED',
          ),
        },
      },
    },
    async (request, reply) => {
      const added = await addConnectionAccount(deps, contextOf(request), request.params.mailboxId, request.body);
      return reply.code(201).send(added);
    },
  );

  app.delete(
    '/v1/mailboxes/:mailboxId/connection-accounts/:accountMailboxId',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'removeConnectionAccount',
        summary: 'Stop a login from opening this box',
        tags,
        description: 'A box that is not in the list is a 404. Audited as `connection_account.removed`.',
        params: ConnectionAccountParamsSchema,
        response: {
          204: Type.Null({ description: 'Removed' }),
          ...problems('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      await removeConnectionAccount(
        deps,
        contextOf(request),
        request.params.mailboxId,
        request.params.accountMailboxId,
      );
      return reply.code(204).send(null);
    },
  );
};
