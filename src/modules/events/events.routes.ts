import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf } from '../../platform/request-context';
import { NamedRef } from '../../shared/named-schemas';
import { EventFeedQuerySchema, EventFeedSchema } from './events.schemas';
import { readEventFeed } from './events.service';

export const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/events',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listEvents',
        summary: 'Every change, in commit order, to read on from where you stopped',
        tags: ['Events'],
        description:
          'The replayable feed of changes: one event per audited change, written in the same transaction as ' +
          'the change (an event exists if and only if its change committed). Read it with `after` set to the ' +
          "previous page's `nextCursor`: a reader never misses nor gets twice an event, whatever the number of " +
          'API processes writing. An event appears once every transaction that started before it has ended, ' +
          'so a long write (an import batch) can hold newer events back for its duration. Admins and readers ' +
          'see the events of their structures; events without a structure (API keys) are for operators. ' +
          'Events are kept `BALISE_EVENTS_RETENTION_DAYS` (30 by default): a consumer away longer resynchronises ' +
          'from the resources. Poll with `after` when `hasMore` is false; ask again at once when it is true.',
        querystring: EventFeedQuerySchema,
        response: { 200: NamedRef(EventFeedSchema), ...problems('VALIDATION_FAILED') },
      },
    },
    async (request) => readEventFeed(app.db, contextOf(request).caller, request.query),
  );
};
