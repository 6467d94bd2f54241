import { sql } from 'drizzle-orm';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { uniqueDomain } from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
  // A dependency that fails mid-way: the structure row is written, then its domain insert blows up.
  await test.app.db.execute(
    sql.raw(`
    create function fail_on_doomed_domain() returns trigger language plpgsql as $$
    begin
      if new.domain like 'doomed-%' then raise exception 'simulated failure'; end if;
      return new;
    end $$;`),
  );
  await test.app.db.execute(
    sql.raw(`
    create trigger structure_domains_fail before insert on structure_domains
      for each row execute function fail_on_doomed_domain();`),
  );
});
afterAll(() => test.close());

describe('a failed change', () => {
  it('leaves neither the change nor its audit event behind', async () => {
    const name = `Rollback ${Date.now()}`;
    const countAudit = async () => {
      const result = await test.app.db.execute(sql`select count(*)::int as count from audit_events`);
      return (result as { rows: { count: number }[] }).rows[0]!.count;
    };
    const auditBefore = await countAudit();
    await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send({ name, domains: [`doomed-${uniqueDomain()}`] })
      .expect(500);
    const listed = await test.http
      .get(`/v1/structures?q=${encodeURIComponent(name)}`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(listed.body.items).toEqual([]);
    expect(await countAudit()).toBe(auditBefore);
  });

  it('writes nothing on a refused request either', async () => {
    const before = await test.http.get('/v1/audit-events?limit=500').set(bearer(test.operatorKey));
    await test.http
      .post('/v1/structures')
      .set(bearer(test.operatorKey))
      .send({ name: 'Bad', finess: '010000603' })
      .expect(422);
    const after = await test.http.get('/v1/audit-events?limit=500').set(bearer(test.operatorKey));
    expect(after.body.items).toHaveLength(before.body.items.length);
  });
});
