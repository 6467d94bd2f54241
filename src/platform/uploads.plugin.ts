import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import { removeStaleSpoolFolders } from './spool-file';

/**
 * File uploads (loaduser files, reference extractions) stream through `request.file()`; over the
 * size limit is a 413. Loaduser uploads wait in a spool folder on disk until they are stored: at
 * start-up, the folders a stopped process left there are removed. An upload lasts at most the
 * request timeout, so a folder twice that old belongs to nobody.
 */
export const uploadsPlugin = fp(
  async (app) => {
    const { uploads, http } = app.config;
    await app.register(multipart, { limits: { fileSize: uploads.maxBytes, files: 1, fields: 20 } });
    app.addHook('onReady', async () => {
      const removed = await removeStaleSpoolFolders(uploads.spoolDirectory, 2 * http.requestTimeoutSeconds * 1000);
      if (removed > 0) app.log.info({ removed }, 'removed upload spool folders left by a stopped process');
    });
  },
  { name: 'uploads' },
);
