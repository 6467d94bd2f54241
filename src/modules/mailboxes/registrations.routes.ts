import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { auditActorOf } from '../../platform/audit/audit';
import { withHeaders } from '../../platform/openapi/response-headers';
import { problems } from '../../platform/errors/problem.schema';
import { dependenciesOf } from '../../platform/request-context';
import { withEtag } from '../../shared/etag';
import { CompleteRegistrationBodySchema, MailboxSchema, RegistrationBodySchema } from './mailboxes.schemas';
import { completeRegistration, registerMailbox } from './registrations.service';

const tags = ['Registrations'];

/** Called by the sign-up front-end on the user's behalf: no API key. */
export const registrationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  // No key identifies the caller: each client address gets a number of tries per window.
  const rateLimit = {
    max: app.config.publicRateLimit.max,
    timeWindow: app.config.publicRateLimit.windowSeconds * 1000,
  };

  app.post(
    '/v1/registrations',
    {
      config: { access: 'public', rateLimit },
      schema: {
        operationId: 'registerMailbox',
        summary: 'Self sign-up: the box waits (`pending`) for an admin to validate it',
        tags,
        security: [],
        body: RegistrationBodySchema,
        response: {
          201: withHeaders(NamedRef(MailboxSchema), 'ETag'),
          ...problems('NOT_FOUND', 'EMAIL_TAKEN', 'BUSINESS_RULE_VIOLATED'),
        },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await registerMailbox(deps, auditActorOf(request), request.body);
      return withEtag(reply.code(201), version).send(mailbox);
    },
  );

  app.post(
    '/v1/registrations/complete',
    {
      config: { access: 'public', rateLimit },
      schema: {
        operationId: 'completeRegistration',
        summary: 'A pre-registered user finishes registration with their token (→ valid)',
        tags,
        security: [],
        body: CompleteRegistrationBodySchema,
        response: { 200: withHeaders(NamedRef(MailboxSchema), 'ETag'), ...problems('NOT_FOUND', 'INVALID_TRANSITION') },
      },
    },
    async (request, reply) => {
      const { mailbox, version } = await completeRegistration(deps, auditActorOf(request), request.body);
      return withEtag(reply, version).send(mailbox);
    },
  );
};
