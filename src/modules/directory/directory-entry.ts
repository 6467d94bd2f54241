import type { MailboxType } from '../../domain/mailbox-vocabulary';
import type { RuleSubject, SubjectResponsible } from '../alimentation-report/rules';

/** The three types the ANS knows for a box (CAB is not used by this operator). */
export type AnsType = 'PER' | 'ORG' | 'APP';

/** A box as the feed needs it: the rule snapshot plus the fields only the directory publishes. */
export interface DirectorySubject extends RuleSubject {
  service: string | null;
  mailboxPhone: string | null;
  paperless: boolean | null;
  directoryVisible: boolean | null;
}

export interface DirectoryStructure {
  finess: string | null;
  siret: string | null;
}

/** One entry of `GET /v1/directory/entries`, with the ANS's fields. */
export interface DirectoryEntry {
  mailboxId: string;
  /** The MSSanté address: the key of the entry at the ANS. */
  address: string;
  ansType: AnsType;
  /** true = the ANS keeps the box out of the public directory. */
  listeRouge: boolean;
  description: string | null;
  service: string | null;
  /** ORG and APP only; not public at the ANS. */
  responsible: SubjectResponsible | null;
  phone: string | null;
  /** Dématérialisation: accepts paperless exchanges. */
  paperless: 'O' | 'N';
  /** idNatPS for personal boxes, the structure's prefixed national id for ORG and APP. */
  holderIdentifier: string;
}

/** Thrown for a box the directory can never hold; the feed should have filtered it out. */
export class NotPublishableError extends Error {
  constructor(
    readonly mailboxId: string,
    readonly reason: 'MED_NEVER_PUBLISHED' | 'NO_CORRESPONDENCE' | 'NO_HOLDER_IDENTIFIER',
  ) {
    super(`Mailbox ${mailboxId} cannot be published to the directory: ${reason}`);
    this.name = 'NotPublishableError';
  }
}

/** INT is an operator-side kind, published as PER once it has an identifier; MED never is. */
export function toAnsType(type: MailboxType): AnsType | null {
  switch (type) {
    case 'PER':
    case 'INT':
      return 'PER';
    case 'ORG':
    case 'APP':
      return type;
    case 'MED':
      return null;
  }
}

/**
 * Boxes are unlisted until their user finishes registration (the deck: "invisible until they
 * finalise"); `directoryVisible` set by the admin or the import overrides that either way.
 */
export function isListeRouge(subject: Pick<DirectorySubject, 'directoryVisible' | 'status'>): boolean {
  if (subject.directoryVisible !== null) return !subject.directoryVisible;
  return subject.status !== 'valid';
}

/** Prefixes of the ANS national identifiers: 8 RPPS, 0 ADELI, 1 FINESS, 3 SIRET. */
function findHolderIdentifier(
  subject: DirectorySubject,
  ansType: AnsType,
  structure: DirectoryStructure,
): string | null {
  if (ansType === 'PER') {
    if (subject.rpps) return `8${subject.rpps}`;
    if (subject.adeli) return `0${subject.adeli}`;
    return null;
  }
  // FINESS is preferred: it names the health establishment, SIRET only the legal entity.
  if (structure.finess) return `1${structure.finess}`;
  if (structure.siret) return `3${structure.siret}`;
  return null;
}

/** Maps a publishable box (see `isPublishable`) to its national directory entry. */
export function toDirectoryEntry(subject: DirectorySubject, structure: DirectoryStructure): DirectoryEntry {
  const ansType = toAnsType(subject.type);
  if (ansType === null) throw new NotPublishableError(subject.id, 'MED_NEVER_PUBLISHED');
  if (subject.correspondence === null) throw new NotPublishableError(subject.id, 'NO_CORRESPONDENCE');
  const holderIdentifier = findHolderIdentifier(subject, ansType, structure);
  if (holderIdentifier === null) throw new NotPublishableError(subject.id, 'NO_HOLDER_IDENTIFIER');
  return {
    mailboxId: subject.id,
    address: subject.correspondence.address,
    ansType,
    listeRouge: isListeRouge(subject),
    description: subject.description,
    service: subject.service,
    // The ANS never publishes a responsible for a personal box.
    responsible: ansType === 'PER' ? null : subject.responsible,
    phone: subject.mailboxPhone,
    paperless: subject.paperless === true ? 'O' : 'N',
    holderIdentifier,
  };
}
