import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { collectStartUpGarbage, leaveYoungGenerationsToWorkers, limitHeapGrowth } from './platform/heap-tuning';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  limitHeapGrowth(config.heapGrowingPercent);
  leaveYoungGenerationsToWorkers();
  const app = await buildApp({ config });
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  const address = await app.listen({ port: config.http.port, host: config.http.host });
  collectStartUpGarbage();
  const where = config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL';
  app.log.info(`Balise listens on ${address} (docs: ${address}/docs), database: ${where}`);
}

void main();
