import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NamedRef } from '../../shared/named-schemas';
import { Type } from '@sinclair/typebox';
import { problems } from '../../platform/errors/problem.schema';
import { contextOf, dependenciesOf } from '../../platform/request-context';
import { PageQuerySchema } from '../../shared/pagination';
import { DirectoryPageSchema, DirectoryQuerySchema } from './directory.schemas';
import { listDirectoryEntries } from './directory.service';

const DESCRIPTION = [
  'What is fed to the national directory: exactly the fed boxes (pre-registered or valid, not test, not MED) that have an',
  'MSSanté address and no blocking issue in the alimentation report, with the ANS fields. The liste rouge does not exclude',
  'a box: it is fed with `listeRouge: true` (the default until its user finishes registration, unless `directoryVisible`).',
  '',
  "**Full list** (no `since`): the entries published now, in the feed's sequence order.",
  '**Incremental sync**: keep the `syncToken` of your last listing (any page gives the same one) and send it as `since`:',
  'you get every entry published, changed (`change: published`, replace it) or withdrawn (`change: withdrawn`, remove it)',
  'since. `since` also takes an ISO 8601 date-time (entries whose `changedAt` is later). An entry is keyed by `address` and',
  '`ansType`: a box whose address or type changes shows as the old entry withdrawn and a new one published. Entries',
  'changed while you page through may come twice: apply them idempotently.',
  '',
  'The feed is a snapshot of the boxes diffed at each refresh: the first page of a listing refreshes it when it is older',
  'than BALISE_DIRECTORY_MAX_AGE_SECONDS (60 s by default), and a periodic job refreshes it too; `refreshedAt` tells when.',
  "Operators see every structure; admins and readers their structures' entries (filter with `structureId`).",
].join('\n');

export const directoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = dependenciesOf(app);
  const { maxAgeSeconds } = app.config.directory;

  app.get(
    '/v1/directory/entries',
    {
      config: { scope: { query: 'structureId' } },
      schema: {
        operationId: 'listDirectoryEntries',
        summary: 'The national directory feed, in full or since a sync token',
        tags: ['Directory'],
        description: DESCRIPTION,
        querystring: Type.Composite([PageQuerySchema, DirectoryQuerySchema]),
        response: { 200: NamedRef(DirectoryPageSchema), ...problems('NOT_FOUND') },
      },
    },
    async (request) => listDirectoryEntries(deps, contextOf(request), request.query, { maxAgeSeconds }),
  );
};
