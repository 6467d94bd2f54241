import { withLuhnKey } from './luhn';

/**
 * Values the contract's examples share, so that Swagger UI's "Try it out" sends data the server
 * takes: national identifiers with their check key computed here (never typed by hand), TRE_G15
 * profession codes, an MSSanté domain, French names. The ids are placeholders of one imaginary
 * structure and its boxes: on a real server, use the ids your own calls returned
 * (`test/contract-examples.test.ts` does, creating each resource in turn).
 */
export const EXAMPLE_RPPS = {
  /** Dr Camille Martin, médecin (PER). */
  doctor: withLuhnKey('1010203040'),
  /** Léa Dubois, infirmière (INT has none; she is the ORG box's responsible). */
  nurse: withLuhnKey('1010765432'),
  /** Hugo Lefèvre, pharmacien (MED). */
  pharmacist: withLuhnKey('1010998877'),
} as const;

export const EXAMPLE_FINESS = withLuhnKey('13078355');
/** SIREN 261300271 (itself with its key) and establishment 00010. */
export const EXAMPLE_SIRET = withLuhnKey(withLuhnKey('26130027') + '0001');
export const EXAMPLE_DOMAIN = 'ch-aubagne.mssante.fr';

/** TRE_G15 codes (`professions.ts`). */
export const EXAMPLE_PROFESSION = { doctor: '10', pharmacist: '21', nurse: '60' } as const;

/** Placeholder ids: one structure, its five boxes (one of each type), and what hangs off them. */
export const EXAMPLE_IDS = {
  structure: '0f6c1f9e-3b1a-4c55-9a0e-1d2b3c4d5e60',
  otherStructure: '7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5',
  perMailbox: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c61',
  medMailbox: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c62',
  intMailbox: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c63',
  orgMailbox: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c64',
  appMailbox: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c65',
  import: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a80',
  apiKey: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
} as const;

export const EXAMPLE_INSTANT = '2026-03-02T09:15:00.000Z';
