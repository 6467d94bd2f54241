import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { StructureParamsSchema } from '../structures/structures.schemas';
import { ActivityQuerySchema, StructureActivitySchema } from './activity.schemas';
import { getStructureActivity } from './activity.service';

export const activityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  const policy = app.config.lifecycle;

  app.get(
    '/v1/structures/:structureId/activity',
    {
      schema: {
        operationId: 'getStructureActivity',
        summary: "A structure's activity: counts, recent changes, boxes expiring or due for deletion",
        tags: ['Structures'],
        description:
          'Counts by status (every box) and by type (boxes not deleted); the latest `limit` audit events of the structure; ' +
          'active boxes whose expiry date falls within `expiringWithinDays` (they are deactivated on that date); boxes the ' +
          `inactivity sweep deletes within \`deletionWithinDays\` (no activity for ${policy.inactivityDays} days, counted from the ` +
          "latest of last activity, creation, registration and restoration; default window: the first warning's). Overdue " +
          'boxes that the next sweep handles are listed first. Each list holds at most `limit` boxes (`hasMore` tells).',
        params: StructureParamsSchema,
        querystring: ActivityQuerySchema,
        response: { 200: NamedRef(StructureActivitySchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) =>
      getStructureActivity(deps, policy, contextOf(request), request.params.structureId, request.query),
  );
};
