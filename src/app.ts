import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/config';
import type { DatabaseHandle } from './db/database';
import { authenticationPlugin } from './platform/auth/authentication.plugin';
import { apiKeyStore } from './modules/api-keys/api-key-store';
import { administratorStore } from './modules/administrators/administrator-store';
import { administratorsRoutes } from './modules/administrators/administrators.routes';
import { meRoutes } from './modules/administrators/me.routes';
import { corsPlugin } from './platform/cors.plugin';
import { databasePlugin } from './platform/database.plugin';
import { answerClientError, answerFrameworkError, errorsPlugin } from './platform/errors/errors.plugin';
import { inputGuardsPlugin } from './platform/input/input-guards.plugin';
import { healthRoutes } from './platform/health.routes';
import { httpSemanticsPlugin } from './platform/http-semantics.plugin';
import { rateLimitPlugin } from './platform/rate-limit/rate-limit.plugin';
import { uploadsPlugin } from './platform/uploads.plugin';
import { idempotencyPlugin } from './platform/idempotency.plugin';
import type { JobRunnerOptions } from './platform/jobs/job-runner';
import { jobsPlugin } from './platform/jobs/jobs.plugin';
import { registerJobsRetention } from './platform/jobs/jobs-retention';
import { loggerOptions } from './platform/logger';
import { openapiPlugin } from './platform/openapi/openapi.plugin';
import { validatorCompiler } from './platform/validation';
import { memoizingSerializerFactory } from './platform/serializer-compiler';
import { systemClock, type Clock } from './shared/clock';
import { namedSchemas } from './shared/named-schemas';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes';
import { ensureBootstrapApiKey } from './modules/api-keys/api-keys.service';
import { auditLogRoutes } from './modules/audit-log/audit-log.routes';
import { mailboxActionsRoutes } from './modules/mailboxes/mailbox-actions.routes';
import { mailboxesRoutes } from './modules/mailboxes/mailboxes.routes';
import { registrationsRoutes } from './modules/mailboxes/registrations.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { structuresRoutes } from './modules/structures/structures.routes';
import { lifecycleRoutes } from './modules/lifecycle/lifecycle.routes';
import { emailChangeRequestsRoutes } from './modules/email-change-requests/email-change-requests.routes';
import { remindersRoutes } from './modules/reminders/reminders.routes';
import { alimentationReportRoutes } from './modules/alimentation-report/alimentation-report.routes';
import { referenceRoutes } from './modules/reference/reference.routes';
import { directoryRoutes } from './modules/directory/directory.routes';
import { activityRoutes } from './modules/activity/activity.routes';
import { correspondencesRoutes } from './modules/correspondences/correspondences.routes';
import { connectionAccountsRoutes } from './modules/connection-accounts/connection-accounts.routes';
import { accessibleMailboxesRoutes } from './modules/connection-accounts/accessible-mailboxes.routes';
import { delegatesRoutes } from './modules/delegates/delegates.routes';
import { importsRoutes } from './modules/imports/imports.routes';
import { exportsRoutes } from './modules/exports/exports.routes';
import { registerDirectoryJobs } from './modules/directory/directory.jobs';
import { registerMailboxesJobs } from './modules/mailboxes/mailboxes.jobs';
import { registerImportsJobs } from './modules/imports/imports.jobs';
import { registerEventsJobs } from './modules/events/events.jobs';
import { eventsRoutes } from './modules/events/events.routes';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes';
import { registerWebhooksJobs } from './modules/webhooks/webhooks.jobs';
import { registerLifecycleJobs } from './modules/lifecycle/lifecycle.jobs';
import { registerNotificationsJobs } from './modules/notifications/notifications.jobs';
import { registerReferenceJobs } from './modules/reference/reference.jobs';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
  }
}

export interface BuildAppOptions {
  config: Config;
  clock?: Clock;
  /** A database the caller opened and migrated (tests); otherwise the app opens its own. */
  database?: DatabaseHandle;
  /** false silences logs (tests); by default the configured level applies. */
  logger?: boolean;
  jobRunner?: JobRunnerOptions;
}

/** A client's request id is echoed when it is a reasonable token; otherwise we make one. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the application; never listens (server.ts does, tests inject). */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config),
    bodyLimit: 1024 * 1024,
    schemaController: { compilersFactory: { buildSerializer: memoizingSerializerFactory } },
    requestTimeout: config.http.requestTimeoutSeconds * 1000,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    trustProxy: typeof config.http.trustProxy === 'object' ? [...config.http.trustProxy] : config.http.trustProxy,
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  app.decorate('config', config);
  app.decorate('clock', options.clock ?? systemClock);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  // The schemas the contract names (Mailbox, MailboxPage…), before any route refers to them.
  for (const schema of namedSchemas()) app.addSchema(schema);
  await app.register(inputGuardsPlugin);
  await app.register(databasePlugin, { config: config.database, handle: options.database });
  await app.register(jobsPlugin, { config: config.jobs, runner: options.jobRunner });
  await app.register(corsPlugin, { origins: config.corsOrigins });
  await app.register(authenticationPlugin, { apiKeys: apiKeyStore, administrators: administratorStore });
  await app.register(httpSemanticsPlugin);
  await app.register(idempotencyPlugin);
  await app.register(rateLimitPlugin);
  await app.register(openapiPlugin);
  await app.register(uploadsPlugin);

  await app.register(healthRoutes);
  await app.register(apiKeysRoutes);
  await app.register(administratorsRoutes);
  await app.register(meRoutes);
  await app.register(structuresRoutes);
  await app.register(auditLogRoutes);
  await app.register(eventsRoutes);
  await app.register(webhooksRoutes);
  await app.register(mailboxesRoutes);
  await app.register(mailboxActionsRoutes);
  await app.register(registrationsRoutes);
  await app.register(notificationsRoutes);
  await app.register(lifecycleRoutes);
  await app.register(emailChangeRequestsRoutes);
  await app.register(remindersRoutes);
  await app.register(alimentationReportRoutes);
  await app.register(referenceRoutes);
  await app.register(directoryRoutes);
  await app.register(activityRoutes);
  await app.register(correspondencesRoutes);
  await app.register(connectionAccountsRoutes);
  await app.register(accessibleMailboxesRoutes);
  await app.register(delegatesRoutes);
  await app.register(importsRoutes);
  await app.register(exportsRoutes);

  // Background jobs: every module's definitions and schedules, each in its `<module>.jobs.ts`.
  await registerJobsRetention(app);
  await registerNotificationsJobs(app);
  await registerLifecycleJobs(app);
  await registerReferenceJobs(app);
  await registerDirectoryJobs(app);
  await registerMailboxesJobs(app);
  await registerImportsJobs(app);
  await registerEventsJobs(app);
  await registerWebhooksJobs(app);

  if (config.bootstrapApiKey) {
    const key = await ensureBootstrapApiKey(app.db, config.bootstrapApiKey);
    if (key.revokedAt) app.log.warn('the bootstrap API key was revoked; set another BALISE_BOOTSTRAP_API_KEY');
  }
  return app;
}
