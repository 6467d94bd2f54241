import { randomBytes } from 'node:crypto';
import type { TestApp } from './harness';
import { bearer } from './harness';

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence += 1).toString(36)}${randomBytes(2).toString('hex')}`;

/** Appends the digit that makes `digits` pass Luhn (FINESS, SIREN, SIRET, RPPS all use it). */
export function withLuhnKey(digits: string): string {
  for (let key = 0; key <= 9; key += 1) {
    const candidate = digits + String(key);
    let sum = 0;
    [...candidate].reverse().forEach((character, index) => {
      let value = Number(character);
      if (index % 2 === 1) value = value * 2 > 9 ? value * 2 - 9 : value * 2;
      sum += value;
    });
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

const randomDigits = (count: number) => Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');
export const validFiness = () => withLuhnKey('01' + randomDigits(6));
export const validSiret = () => withLuhnKey('4' + randomDigits(12));
export const validRpps = () => withLuhnKey('10' + randomDigits(8));
export const uniqueDomain = () => `s${unique()}.mssante.fr`;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${unique()}@hopital.example.fr`;

export async function createStructure(test: TestApp, overrides: Record<string, unknown> = {}) {
  const response = await test.http
    .post('/v1/structures')
    .set(bearer(test.operatorKey))
    .send({ name: `Structure ${unique()}`, finess: validFiness(), domains: [uniqueDomain()], ...overrides });
  if (response.status !== 201) throw new Error(`createStructure: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; domains: string[] };
}

export async function createApiKey(test: TestApp, role: 'operator' | 'admin' | 'reader', structureIds: string[] = []) {
  const response = await test.http
    .post('/v1/api-keys')
    .set(bearer(test.operatorKey))
    .send({ name: `${role} ${unique()}`, role, structureIds });
  if (response.status !== 201) throw new Error(`createApiKey: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; key: string };
}

export type MailboxKind = 'PER' | 'MED' | 'INT' | 'ORG' | 'APP';

/** A valid body for each type, so tests only spell out what they are about. */
export function mailboxBody(structureId: string, type: MailboxKind = 'PER', overrides: Record<string, unknown> = {}) {
  const base: Record<string, unknown> = { structureId, type, email: uniqueEmail(type.toLowerCase()), lastName: 'Dupont', firstName: 'Jean' };
  if (type === 'PER') Object.assign(base, { rpps: validRpps(), profession: '10' });
  if (type === 'ORG' || type === 'APP') {
    Object.assign(base, {
      lastName: type === 'ORG' ? 'Service BE' : 'Résultats labo',
      firstName: 'IES Sud',
      description: type === 'ORG' ? 'Secrétariat du bureau des entrées' : 'Envoi automatique des résultats',
      responsible: { lastName: 'Martin', firstName: 'Claire', profession: '10', rpps: validRpps() },
    });
  }
  return { ...base, ...overrides };
}

export async function createMailbox(test: TestApp, structureId: string, type: MailboxKind = 'PER', overrides: Record<string, unknown> = {}, key = test.operatorKey) {
  const response = await test.http.post('/v1/mailboxes').set(bearer(key)).send(mailboxBody(structureId, type, overrides));
  if (response.status !== 201) throw new Error(`createMailbox: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; email: string; status: string; structureId: string; type: MailboxKind };
}
