import { createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createStructure } from '../../../test/factories';

/**
 * A real Balise server listening on a local port, as a vendor or an admin script reaches one: jobs
 * on (an import runs by itself), the directory refreshed at every listing; and a structure with the
 * fixtures' domain, with an admin key for it (what an integrator is given).
 */
export interface LiveServer {
  readonly test: TestApp;
  readonly baseUrl: string;
  readonly structureId: string;
  readonly adminKey: string;
}

export async function startLiveServer(): Promise<LiveServer> {
  const test = await createTestApp({
    environment: { BALISE_JOBS_ENABLED: 'true', BALISE_JOBS_POLL_MS: '100', BALISE_DIRECTORY_MAX_AGE_SECONDS: '0' },
  });
  const baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  const structure = await createStructure(test, { domains: ['ch-exemple.mssante.fr'] });
  const { key } = await createApiKey(test, 'admin', [structure.id]);
  return { test, baseUrl, structureId: structure.id, adminKey: key };
}
