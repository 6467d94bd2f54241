import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { writeLoaduserCsv, writeLoaduserXlsx } from '../src/modules/loaduser-sheet';
import type { LoaduserExportRow } from '../src/modules/loaduser-sheet';
import { withLuhnKey } from '../src/domain/luhn';

/** Generated loaduser rows for the benchmarks: PER boxes with an RPPS, an address and the usual columns. */
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Lefèvre',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Girard',
  'Mercier',
  'Dupont',
];
const FIRST_NAMES = [
  'Jean',
  'Hélène',
  'Pierre',
  'Anne',
  'Michel',
  'Claire',
  'Paul',
  'Sophie',
  'Louis',
  'Julie',
  'Noël',
  'Léa',
];
const SERVICES = ['Cardiologie', 'Pharmacie', 'Urgences', 'Pédiatrie', 'Radiologie', 'Biologie'];

export interface BenchRow {
  email: string;
  lastName: string;
  firstName: string;
  rpps: string;
  service: string;
  postalCode: string;
  city: string;
  phone: string;
  localPart: string;
}

export function benchRow(index: number): BenchRow {
  const lastName = LAST_NAMES[index % LAST_NAMES.length]!;
  const firstName = FIRST_NAMES[Math.floor(index / 7) % FIRST_NAMES.length]!;
  const localPart = `p${index}.${firstName}.${lastName}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return {
    email: `${localPart}@bench-hopital.fr`,
    lastName,
    firstName,
    rpps: withLuhnKey(`10${String(index).padStart(8, '0')}`),
    service: SERVICES[index % SERVICES.length]!,
    postalCode: String(13000 + (index % 16)).padStart(5, '0'),
    city: 'Marseille',
    phone: `+3349100${String(index % 10000).padStart(4, '0')}`,
    localPart,
  };
}

function* exportRows(count: number, domain: string): Generator<LoaduserExportRow> {
  for (let index = 0; index < count; index += 1) {
    const row = benchRow(index);
    yield {
      email: row.email,
      lastName: row.lastName,
      firstName: row.firstName,
      rpps: row.rpps,
      organisationName: 'Centre hospitalier Bench',
      service: row.service,
      postalCode: row.postalCode,
      city: row.city,
      phone: row.phone,
      civility: index % 2 ? 'M' : 'MME',
      profession: '10',
      professionCategory: 'C',
      type: 'PER',
      isTest: false,
      paperless: true,
      correspondenceLocalPart: row.localPart,
      correspondenceDomain: domain,
    };
  }
}

export async function writeBenchFile(
  path: string,
  format: 'csv' | 'xlsx',
  count: number,
  domain: string,
): Promise<void> {
  const out = createWriteStream(path);
  if (format === 'csv') await writeLoaduserCsv(exportRows(count, domain), out);
  else await writeLoaduserXlsx(exportRows(count, domain), out);
  await finished(out);
}
