import fp from 'fastify-plugin';
import swagger, { type SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import { version } from '../../../package.json';
import type { UploadForm } from '../multipart-upload';
import { finishContract, FORM_ENCODING } from './contract-transform';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The multipart form of an upload route, which reads its body itself (see `UploadForm`). */
    uploadForm?: UploadForm;
  }
}

/**
 * Upload routes stream their body and so declare no body schema (one would make Fastify
 * validate a body that is never parsed); the contract still shows their form, from the route's
 * `config.uploadForm`: the file, the fields with their types and defaults, and the part types
 * accepted for the file (an Encoding Object, carried to the media type by `finishContract`).
 */
const documentUploads: SwaggerTransform<FastifySchema> = ({ schema, url, route }) => {
  const consumes = schema?.consumes;
  if (!consumes?.includes('multipart/form-data') || schema.body) return { schema, url };
  const form = route.config?.uploadForm;
  if (!form) throw new Error(`${url} takes multipart/form-data: name its form in config.uploadForm`);
  const body = {
    type: 'object',
    required: ['file', ...(form.fields.required ?? [])],
    properties: {
      file: { type: 'string', format: 'binary', description: form.file.description },
      ...form.fields.properties,
    },
    additionalProperties: false,
    [FORM_ENCODING]: { file: { contentType: form.file.contentTypes.join(', ') } },
  };
  return { schema: { ...schema, body }, url };
};

/** The contract integrators generate clients from, built from the routes' TypeBox schemas. */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Balise API',
          version,
          description:
            'Headless administration API for an MSSanté operator: structures, mailboxes, MSSanté addresses, ' +
            'loaduser imports and exports, the alimentation report and the directory feed. Errors are RFC 9457 ' +
            '`application/problem+json`. Lists are cursor-paginated.\n\n' +
            '**ETags.** A single resource answers with a strong `ETag` (its version: `"3"`), changed by every write. ' +
            'A GET with `If-None-Match` naming it (weak comparison, a list of tags, or `*`) answers 304 with the ETag ' +
            'and no body. PATCH and DELETE of a versioned resource, and the actions on a mailbox, honour `If-Match` ' +
            '(412 with the `currentEtag` if the resource changed; `*` matches any version). Without `If-Match` they ' +
            'write unconditionally, unless the operator sets `BALISE_REQUIRE_IF_MATCH`: PATCH and DELETE then answer ' +
            '428 without it.\n\n' +
            '**Idempotency.** A POST may carry `Idempotency-Key`. Keys are scoped to the API key that sends them ' +
            '(two clients never collide): a retry with the same key and the same request replays the first answer ' +
            '(status, body, `ETag`, `Location`); the same key with another request is a 422; a retry while the first ' +
            'still runs is a 409. A key is kept `BALISE_IDEMPOTENCY_RETENTION_HOURS` (24 by default), then forgotten: ' +
            'the same key after that is a new request.\n\n' +
            '**HTTP.** A known path asked with a method it does not answer is a 405 with `Allow`; a body in a type ' +
            'the route does not read is a 415.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        // Relative: the API answers at the root of wherever it is deployed.
        servers: [{ url: '/', description: 'This server' }],
        tags: [
          { name: 'Health', description: 'Liveness and readiness, without a key' },
          { name: 'API keys', description: 'Keys, their role and the structures they reach' },
          { name: 'Structures', description: 'Client organisations: identity, MSSanté domains, quotas' },
          { name: 'Audit', description: 'Who changed what, when, before and after' },
          { name: 'Mailboxes', description: 'The boxes (PER, MED, INT, ORG, APP), their statuses and moves' },
          { name: 'Registrations', description: 'Self sign-up and the completion of a pre-registration (no key)' },
          { name: 'Notifications', description: 'The outbox of e-mails: invitations, reminders, warnings' },
          { name: 'Lifecycle', description: 'Inactivity, deactivation, deletion, restore, and the sweeps' },
          { name: 'Change-of-mail requests', description: "Requests to change a box's reference address" },
          { name: 'Alimentation report', description: 'The 16 rules over fed boxes, as JSON, CSV or XLSX' },
          { name: 'Reference', description: 'The ANS extraction of professionals the report checks against' },
          { name: 'Directory', description: 'The national directory feed, in full or since a sync token' },
          { name: 'MSSanté correspondence', description: "A box's MSSanté address and its history" },
          { name: 'Connection accounts', description: 'The nominative logins that open an ORG or APP box' },
          { name: 'Delegates', description: 'Who acts for a person' },
          { name: 'Imports', description: 'Loaduser uploads (csv, xls, xlsx), their rows and reports' },
          { name: 'Exports', description: "A structure's boxes in the loaduser layout" },
        ],
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer blk_…`' },
            // The providers are the deployment's (BALISE_OIDC_PROVIDERS); the URL shows Pro Santé Connect's.
            openIdConnect: {
              type: 'openIdConnect',
              openIdConnectUrl: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/openid-configuration',
              description:
                'A person (an administrator) signed in with an OpenID Connect provider the operator configured, such as ' +
                'Pro Santé Connect: `Authorization: Bearer <access token>` (a JWT, or an opaque token Balise introspects). ' +
                'Their roles are those given by `/v1/structures/{structureId}/administrators` and `/v1/operators`.',
            },
          },
        },
        security: [{ apiKey: [] }, { openIdConnect: [] }],
      },
      // Name shared schemas after their $id (e.g. `Problem`) rather than `def-0`.
      transform: documentUploads,
      transformObject: (document) =>
        'openapiObject' in document ? finishContract(document.openapiObject) : document.swaggerObject,
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`) },
    });
    // The page and its assets are public like the contract they show: a browser sends no API key.
    await app.register(async (docs) => {
      docs.addHook('onRoute', (route) => {
        route.config = { ...route.config, access: 'public' };
      });
      await docs.register(swaggerUi, { routePrefix: '/docs' });
    });
    app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
