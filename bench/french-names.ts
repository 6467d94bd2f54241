/**
 * Realistic French boxes for the search benchmark: common surnames and first names drawn with a
 * skew (the first of each list is the most frequent, as Martin and Marie are), some compound,
 * hyphenated or with an apostrophe or a particle, hospital services and organisations. Seeded, so
 * every run searches the same data.
 */
// prettier-ignore
export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Dupont', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy',
  'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent',
  'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand',
  'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin',
  'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson',
  'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger',
  'Le Gall', 'Le Goff', "D'Almeida", "N'Diaye", 'Dupont-Moretti', 'Martin-Durand', 'De La Fontaine', 'Lemoine', 'Marchand', 'Barbier',
];
// prettier-ignore
export const FIRST_NAMES = [
  'Marie', 'Jean', 'Pierre', 'Nathalie', 'Isabelle', 'Philippe', 'Michel', 'Catherine', 'Sylvie', 'Alain',
  'Christophe', 'Sophie', 'Nicolas', 'Stéphane', 'Valérie', 'Julien', 'Céline', 'Laurent', 'Sandrine', 'Éric',
  'Anne', 'David', 'Christine', 'Olivier', 'Camille', 'Thomas', 'Julie', 'François', 'Aurélie', 'Sébastien',
  'Émilie', 'Frédéric', 'Hélène', 'Vincent', 'Claire', 'Mathieu', 'Léa', 'Hugo', 'Chloé', 'Lucas',
  'Jean-Pierre', 'Marie-Claire', 'Anne-Sophie', 'Jean-François', 'Inès', 'Zoé', 'Gaëlle', 'Noël', 'Maëlle', 'Loïc',
];
// prettier-ignore
export const SERVICES = [
  'Cardiologie', 'Pneumologie', 'Pédiatrie', 'Urgences adultes', 'Urgences pédiatriques', 'Radiologie',
  'Néphrologie', 'Neurologie', 'Oncologie médicale', 'Gynécologie obstétrique', 'Chirurgie orthopédique',
  'Chirurgie digestive', 'Anesthésie réanimation', 'Gériatrie', 'Psychiatrie adulte', 'Dermatologie',
  'Endocrinologie', 'Gastro-entérologie', 'Hématologie', 'Rhumatologie', 'Ophtalmologie', 'ORL', 'Médecine interne',
  'Maladies infectieuses', 'Soins palliatifs', 'Laboratoire de biologie', 'Pharmacie', 'Bureau des entrées',
];
// prettier-ignore
export const ORGANISATIONS = [
  'CHU de Nantes', 'CHU de Rennes', 'CHU de Bordeaux', 'Hospices civils de Lyon', 'AP-HP Pitié-Salpêtrière',
  'CH de Saint-Nazaire', "CH d'Angers", 'Clinique Saint-Augustin', 'Centre Léon Bérard', 'CH de Quimper',
];

/** A small seeded generator (mulberry32): the same boxes on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks from `values` with weight 1 / (rank + 8): the first is about 4–5 % of draws with 50–70
 * values, the last under 1 %, much like the frequency of names in France.
 */
export function skewedPicker<T>(values: readonly T[], random: () => number): () => T {
  const weights = values.map((_, rank) => 1 / (rank + 8));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) cumulative.push((running += weight / total));
  return () => {
    const draw = random();
    const index = cumulative.findIndex((bound) => draw < bound);
    return values[index === -1 ? values.length - 1 : index]!;
  };
}

/** Lower case, no accents, letters only: what an e-mail's local part is made of. */
export const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

export interface BenchBox {
  lastName: string;
  firstName: string;
  service: string | null;
  organisationName: string | null;
  email: string;
  rpps: string;
  hasAddress: boolean;
}

/** `count` boxes: e-mails `<initial><surname><n>@<organisation>.fr`, RPPS numbered from 10000000001. */
export function benchBoxes(count: number): BenchBox[] {
  const random = seededRandom(20261206);
  const lastName = skewedPicker(LAST_NAMES, random);
  const firstName = skewedPicker(FIRST_NAMES, random);
  const seen = new Map<string, number>();
  return Array.from({ length: count }, (_, index) => {
    const box = { lastName: lastName(), firstName: firstName() };
    const organisation = ORGANISATIONS[Math.floor(random() * ORGANISATIONS.length)]!;
    const local = `${slug(box.firstName).charAt(0)}${slug(box.lastName)}`;
    const n = (seen.get(local) ?? 0) + 1;
    seen.set(local, n);
    return {
      ...box,
      service: random() < 0.8 ? SERVICES[Math.floor(random() * SERVICES.length)]! : null,
      organisationName: random() < 0.5 ? organisation : null,
      email: `${local}${n}@${slug(organisation)}.fr`,
      rpps: String(10_000_000_001 + index),
      hasAddress: random() < 0.5,
    };
  });
}
