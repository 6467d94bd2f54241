import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createApiKey,
  createMailbox,
  createStructure,
  uniqueDomain,
  validFiness,
  validSiret,
} from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);

async function auditActions(structureId: string): Promise<string[]> {
  const response = await test.http.get(`/v1/audit-events?structureId=${structureId}`).set(asOperator()).expect(200);
  return response.body.items.map((event: { action: string }) => event.action);
}

describe('structures', () => {
  it('creates, reads, lists, updates and deletes a structure, auditing each change', async () => {
    const domain = uniqueDomain();
    const created = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .send({ name: 'IES Sud', finess: '010000602', domains: [domain.toUpperCase()], quotas: { personal: 10 } })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'IES Sud',
      finess: '010000602',
      siret: null,
      domains: [domain],
      quotas: { personal: 10, organisational: null, applicative: null },
    });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/structures/${created.body.id}`);
    const id = created.body.id as string;

    const read = await test.http.get(`/v1/structures/${id}`).set(asOperator()).expect(200);
    expect(read.body).toEqual(created.body);

    const updated = await test.http
      .patch(`/v1/structures/${id}`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .send({ name: 'IES Sud-Est', quotas: { applicative: 2 } })
      .expect(200);
    expect(updated.body).toMatchObject({ name: 'IES Sud-Est', quotas: { personal: 10, applicative: 2 } });
    expect(updated.headers.etag).toBe('"2"');

    const listed = await test.http.get('/v1/structures?q=sud-est').set(asOperator()).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(id);

    await test.http.delete(`/v1/structures/${id}`).set(asOperator()).expect(204);
    await test.http.get(`/v1/structures/${id}`).set(asOperator()).expect(404);

    const events = await auditActions(id);
    expect(events).toEqual(['structure.deleted', 'structure.updated', 'structure.created']);
    const history = await test.http
      .get(`/v1/audit-events?structureId=${id}&action=structure.updated`)
      .set(asOperator());
    expect(history.body.items[0]).toMatchObject({
      actor: { type: 'api_key' },
      before: { name: 'IES Sud' },
      after: { name: 'IES Sud-Est' },
    });
    expect(history.body.items[0].requestId).toEqual(expect.any(String));
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const structure = await createStructure(test);
    await test.http.patch(`/v1/structures/${structure.id}`).set(asOperator()).send({ name: 'First' }).expect(200);
    const stale = await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .send({ name: 'Second' })
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', currentEtag: '"2"' });
    await test.http.delete(`/v1/structures/${structure.id}`).set(asOperator()).set('If-Match', '"1"').expect(412);
    const read = await test.http.get(`/v1/structures/${structure.id}`).set(asOperator()).expect(200);
    expect(read.body.name).toBe('First');
    expect(await auditActions(structure.id)).toEqual(['structure.updated', 'structure.created']);
  });

  it('refuses with 409 to delete a structure that still has mailboxes (the key is ON DELETE RESTRICT, not a 500)', async () => {
    const structure = await createStructure(test);
    await createMailbox(test, structure.id, 'PER');
    const refused = await test.http.delete(`/v1/structures/${structure.id}`).set(asOperator()).expect(409);
    expect(refused.body.code).toBe('RESOURCE_IN_USE');
    await test.http.get(`/v1/structures/${structure.id}`).set(asOperator()).expect(200);
  });

  it('keeps an MSSanté domain unique across structures', async () => {
    const domain = uniqueDomain();
    const first = await createStructure(test, { domains: [domain] });
    const clash = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .send({ name: 'Other', domains: [domain] })
      .expect(409);
    expect(clash.body).toMatchObject({ code: 'DOMAIN_TAKEN', errors: [{ field: 'domains', code: 'DOMAIN_TAKEN' }] });

    const second = await createStructure(test);
    await test.http
      .patch(`/v1/structures/${second.id}`)
      .set(asOperator())
      .send({ domains: [domain] })
      .expect(409);
    // The holder may keep or reorder its own domain.
    const other = uniqueDomain();
    const reordered = await test.http
      .patch(`/v1/structures/${first.id}`)
      .set(asOperator())
      .send({ domains: [other, domain] })
      .expect(200);
    expect(reordered.body.domains).toEqual([other, domain]);
  });

  it('takes only *.mssante.fr domains', async () => {
    const response = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .send({ name: 'Bad domain', domains: ['hopital.fr', 'mssante.fr'] })
      .expect(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'domains.0', code: 'DOMAIN_NOT_MSSANTE' }),
      expect.objectContaining({ field: 'domains.1', code: 'DOMAIN_NOT_MSSANTE' }),
    ]);
  });

  it.each([
    ['a FINESS with a good key', { finess: '010000602' }, 201],
    ['a FINESS with a bad key', { finess: '010000603' }, 422],
    ['a Corsican FINESS', { finess: '2A0000012' }, 201],
    ['a SIRET with a good key', { siret: validSiret() }, 201],
    ['a SIRET with a bad key', { siret: '73282932000075' }, 422],
    ["La Poste's head office SIRET", { siret: '35600000000048' }, 201],
    ['a La Poste SIRET whose digits add up to a multiple of 5', { siret: '35600000049837' }, 201],
    ['a La Poste SIRET whose digits do not', { siret: '35600000049838' }, 422],
  ])('checks %s', async (_label, identifiers, status) => {
    const response = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .send({ name: 'Identified', domains: [uniqueDomain()], ...identifiers });
    expect(response.status).toBe(status);
    if (status === 422) {
      expect(response.body.errors[0].field).toBe(Object.keys(identifiers)[0]);
    }
  });

  it('reports every faulty field at once', async () => {
    const response = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .send({ name: 'Bad', finess: '010000603', siret: '12345678901234', domains: ['x.example.fr'] })
      .expect(422);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'finess',
      'siret',
      'domains.0',
    ]);
  });

  it('lets an admin rename its structure but not change domains or quotas', async () => {
    const structure = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [structure.id]);
    await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(bearer(admin.key))
      .send({ name: 'Renamed', finess: validFiness() })
      .expect(200);
    const refused = await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(bearer(admin.key))
      .send({ quotas: { personal: 1000 } })
      .expect(403);
    expect(refused.body.errors[0]).toMatchObject({ field: 'quotas' });
  });

  it('paginates with a cursor that neither skips nor repeats', async () => {
    const prefix = `Paged ${Date.now()}`;
    for (let index = 0; index < 5; index += 1) await createStructure(test, { name: `${prefix} ${index}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/structures?q=${encodeURIComponent(prefix)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await test.http.get(query).set(asOperator()).expect(200);
      seen.push(...page.body.items.map((item: { name: string }) => item.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((index) => `${prefix} ${index}`));
    await test.http.get('/v1/structures?cursor=not-a-cursor').set(asOperator()).expect(400);
  });
});

describe('structure idempotency', () => {
  it('replays the first answer to a retry with the same Idempotency-Key', async () => {
    const body = { name: 'Idempotent', domains: [uniqueDomain()] };
    const first = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .set('Idempotency-Key', 'k-1')
      .send(body)
      .expect(201);
    const retry = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .set('Idempotency-Key', 'k-1')
      .send(body)
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.etag).toBe(first.headers.etag);
    const listed = await test.http.get('/v1/structures?q=Idempotent').set(asOperator());
    expect(listed.body.items).toHaveLength(1);
    expect(await auditActions(first.body.id)).toEqual(['structure.created']);
  });

  it('answers 422 when the same key comes with another body', async () => {
    await test.http
      .post('/v1/structures')
      .set(asOperator())
      .set('Idempotency-Key', 'k-2')
      .send({ name: 'One' })
      .expect(201);
    const reused = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .set('Idempotency-Key', 'k-2')
      .send({ name: 'Two' })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('replays refusals too, and keys are per API key', async () => {
    const domain = uniqueDomain();
    await createStructure(test, { domains: [domain] });
    const body = { name: 'Clash', domains: [domain] };
    await test.http.post('/v1/structures').set(asOperator()).set('Idempotency-Key', 'k-3').send(body).expect(409);
    const replay = await test.http
      .post('/v1/structures')
      .set(asOperator())
      .set('Idempotency-Key', 'k-3')
      .send(body)
      .expect(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const otherOperator = await createApiKey(test, 'operator');
    await test.http
      .post('/v1/structures')
      .set(bearer(otherOperator.key))
      .set('Idempotency-Key', 'k-3')
      .send({ name: 'Mine' })
      .expect(201);
  });
});

describe('structure contact e-mail', () => {
  it("is optional, set by the operator or the structure's admin, cleared with null, and must be an e-mail", async () => {
    const structure = await createStructure(test);
    expect((await test.http.get(`/v1/structures/${structure.id}`).set(asOperator())).body.contactEmail).toBeNull();
    const admin = await createApiKey(test, 'admin', [structure.id]);
    const set = await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(bearer(admin.key))
      .send({ contactEmail: 'secretariat@ies-sud.fr' })
      .expect(200);
    expect(set.body.contactEmail).toBe('secretariat@ies-sud.fr');
    const refused = await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(asOperator())
      .send({ contactEmail: 'not an e-mail' })
      .expect(400);
    expect(JSON.stringify(refused.body.errors)).toContain('contactEmail');
    const cleared = await test.http
      .patch(`/v1/structures/${structure.id}`)
      .set(asOperator())
      .send({ contactEmail: null })
      .expect(200);
    expect(cleared.body.contactEmail).toBeNull();
    expect(await auditActions(structure.id)).toEqual(['structure.updated', 'structure.updated', 'structure.created']);
  });
});
