import Fastify from 'fastify';
import { Pool } from 'pg';
import { prefixRange } from '../src/shared/prefix-range';

/**
 * The ceiling: a bare Fastify route doing one prepared primary-key SELECT with pg, no auth,
 * no schema, no ORM. Whatever the API does per request is measured against this.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = Fastify();
  app.get('/health', async () => ({ ok: true }));
  app.get<{ Params: { id: string } }>('/mailboxes/:id', async (request, reply) => {
    const result = await pool.query({
      name: 'ceiling_by_id',
      text: 'select * from mailboxes where id = $1',
      values: [request.params.id],
    });
    if (result.rows.length === 0) return reply.code(404).send({});
    return result.rows[0] as unknown;
  });
  // Like for like with the API's search: the same union of one ordered, limited branch per
  // index (prefixes as byte-wise ranges, so the prepared statement keeps its indexes), then the
  // page's rows with their address, serialised as plain JSON.
  app.get<{ Querystring: { q: string } }>('/search', async (request) => {
    const { from, to } = prefixRange(request.query.q.toLowerCase());
    const branch = (from: string, condition: string) =>
      `(select m.id from ${from} where m.status <> 'deleted' and ${condition} order by m.last_name_key, m.first_name_key, m.id limit 51)`;
    const result = await pool.query({
      name: 'ceiling_search',
      text: `with page as (select distinct id from (${[
        branch('mailboxes m', 'm.last_name_key >= $1 and m.last_name_key < $2'),
        branch('mailboxes m', 'm.first_name_key >= $1 and m.first_name_key < $2'),
        branch('mailboxes m', 'm.email_key >= $1 and m.email_key < $2'),
        branch(
          'mssante_addresses a join mailboxes m on m.id = a.mailbox_id',
          'a.address ~>=~ $1 and a.address ~<~ $2 and a.withdrawn_at is null',
        ),
      ].join(' union all ')}) branches)
      select m.*, a.address as correspondence from mailboxes m join page using (id)
        left join mssante_addresses a on a.mailbox_id = m.id and a.withdrawn_at is null
       order by m.last_name_key, m.first_name_key, m.id limit 51`,
      values: [from, to],
    });
    return { items: result.rows.slice(0, 50), nextCursor: null };
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
