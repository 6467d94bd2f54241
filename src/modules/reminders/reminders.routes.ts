import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { IdempotencyHeadersSchema } from '../../shared/schemas';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { StructureParamsSchema } from '../structures/structures.schemas';
import { LastReminderSchema, ReminderRecipientSchema, ReminderSchema } from './reminders.schemas';
import { getLastReminder, listLastReminderRecipients, sendReminders } from './reminders.service';

const tags = ['Structures'];

export const remindersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.post(
    '/v1/structures/:structureId/reminders',
    {
      config: { access: 'write' },
      schema: {
        operationId: 'sendReminders',
        summary: 'Remind every pre-registered user of the structure to finish registering',
        tags,
        description:
          'Queues a `reminder` message in the outbox (`GET /v1/notifications?kind=reminder`) for every `preregistered` MED, PER ' +
          'and INT mailbox (never ORG or APP ones, not counted in `sent`: the deck invites MED, PER and INT accounts only, an ' +
          'ORG or APP reference address having no person to complete a registration), ' +
          'each carrying a new registration token: the token of any earlier invitation or reminder stops working. Answers how ' +
          'many were queued and when; the reminder is recorded (and shown by `…/reminders/last`, who it reached by ' +
          '`…/reminders/last/recipients`) even when `sent` is 0. ' +
          'Send an `Idempotency-Key` so that a retried request does not remind twice.',
        params: StructureParamsSchema,
        headers: IdempotencyHeadersSchema,
        response: { 201: NamedRef(ReminderSchema), ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await sendReminders(deps, contextOf(request), request.params.structureId)),
  );

  app.get(
    '/v1/structures/:structureId/reminders/last',
    {
      schema: {
        operationId: 'getLastReminder',
        summary: "The structure's last reminder to pre-registered users",
        tags,
        description:
          'Answers 200 with `null` when the structure never sent a reminder; 404 only for an unknown or invisible structure.',
        params: StructureParamsSchema,
        response: { 200: NamedRef(LastReminderSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => getLastReminder(deps, contextOf(request), request.params.structureId),
  );

  app.get(
    '/v1/structures/:structureId/reminders/last/recipients',
    {
      schema: {
        operationId: 'listLastReminderRecipients',
        summary: "Who the structure's last reminder reached",
        tags,
        description:
          '"Afficher la dernière relance": the boxes the last reminder reached, each with the reference address it was sent ' +
          'to (as it was then; the names, type and status are as they are now: a box that has since finished registering is ' +
          '`valid`). In address order, paged; the cursor holds on to its reminder, so a reminder sent while a client pages ' +
          'does not mix two lists. An empty page when the structure never sent one; a deleted box stays listed until its ' +
          'purge, which erases the address.',
        params: StructureParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(ReminderRecipientSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listLastReminderRecipients(deps, request.params.structureId, request.query),
  );
};
