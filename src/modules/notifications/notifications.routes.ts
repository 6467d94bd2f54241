import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema, pageSchema } from '../../shared/pagination';
import { DELIVERY_MAX_ATTEMPTS } from './notifications.jobs';
import { NotificationQuerySchema, NotificationSchema } from './notifications.schemas';
import { listNotifications } from './notifications.service';

export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);

  app.get(
    '/v1/notifications',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listNotifications',
        summary: 'The notification outbox (invitations, reminders, warnings), newest first',
        tags: ['Notifications'],
        description:
          'Every message is written here in the same transaction as its cause, then delivered by a background job. ' +
          'With SMTP configured (`SMTP_URL`), a message becomes `sent` (with `sentAt`) once the relay accepted it; each failed ' +
          `attempt increments \`attempts\` and records \`lastError\`, and is retried with exponential backoff up to ${DELIVERY_MAX_ATTEMPTS} ` +
          'attempts, after which the message is `failed`. Without SMTP, messages stay `queued` for good (they are not sent ' +
          'afterwards if SMTP is configured later). Delivery is at least once.',
        querystring: Type.Composite([PageQuerySchema, NotificationQuerySchema]),
        response: { 200: pageSchema(NotificationSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listNotifications(deps, contextOf(request), request.query),
  );
};
