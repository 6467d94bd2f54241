import Fastify from 'fastify';
import { Pool } from 'pg';

/**
 * The ceilings: bare Fastify routes doing one prepared primary-key SELECT (one row, or a page of 50
 * by key range) with pg, no auth, no schema, no ORM. Whatever the API does per request is measured
 * against these.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = Fastify();
  // Rows as wide as the API's: every column a read returns (the search terms and the stored view
  // of the box are not: the view is those columns again, as the API's list sends them).
  const columns = await pool.query<{ name: string }>(
    `select column_name as name from information_schema.columns
      where table_name = 'mailboxes' and column_name not in ('search_terms', 'listed_view') order by ordinal_position`,
  );
  const columnList = columns.rows.map(({ name }) => `"${name}"`).join(', ');
  app.get('/health', async () => ({ ok: true }));
  app.get<{ Params: { id: string } }>('/mailboxes/:id', async (request, reply) => {
    const result = await pool.query({
      name: 'ceiling_by_id',
      text: `select ${columnList} from mailboxes where id = $1`,
      values: [request.params.id],
    });
    if (result.rows.length === 0) return reply.code(404).send({});
    return result.rows[0] as unknown;
  });
  // The 50-row ceiling: a page of boxes by primary-key range, serialised as plain JSON.
  const pageSql = `select ${columnList} from mailboxes where id > $1 order by id limit 50`;
  app.get<{ Querystring: { after: string } }>('/page', async (request) => {
    const result = await pool.query({ name: 'ceiling_page', text: pageSql, values: [request.query.after] });
    return { items: result.rows, nextCursor: null };
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

void main();
