import Fastify from 'fastify';
import { Pool } from 'pg';

/**
 * The ceiling: a bare Fastify route doing one prepared primary-key SELECT with pg, no auth,
 * no schema, no ORM. Whatever the API does per request is measured against this.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = Fastify();
  app.get('/health', async () => ({ ok: true }));
  app.get<{ Params: { id: string } }>('/mailboxes/:id', async (request, reply) => {
    const result = await pool.query({ name: 'ceiling_by_id', text: 'select * from mailboxes where id = $1', values: [request.params.id] });
    if (result.rows.length === 0) return reply.code(404).send({});
    return result.rows[0] as unknown;
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on('SIGTERM', () => {
    void app.close().then(() => pool.end()).then(() => process.exit(0));
  });
}

void main();
