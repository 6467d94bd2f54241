import type { MailboxType } from '../../domain/mailbox-vocabulary';
import {
  buildSubject,
  VALID_FINESS,
  VALID_RPPS,
  VALID_SIRET,
} from '../alimentation-report/rules/rule-fixtures.test-support';
import { isListeRouge, NotPublishableError, toDirectoryEntry, type DirectorySubject } from './directory-entry';

const STRUCTURE = { finess: VALID_FINESS, siret: VALID_SIRET };

function buildDirectorySubject(type: MailboxType, overrides: Partial<DirectorySubject> = {}): DirectorySubject {
  return {
    ...buildSubject(type),
    service: 'Cardiologie',
    mailboxPhone: '+33491000000',
    paperless: true,
    directoryVisible: null,
    ...overrides,
  };
}

describe('toDirectoryEntry', () => {
  it('maps a PER box with its RPPS', () => {
    expect(toDirectoryEntry(buildDirectorySubject('PER'), STRUCTURE)).toEqual({
      mailboxId: 'mailbox-per',
      address: 'helene.lefevre@ch-exemple.mssante.fr',
      ansType: 'PER',
      listeRouge: false,
      description: null,
      service: 'Cardiologie',
      responsible: null,
      phone: '+33491000000',
      paperless: 'O',
      holderIdentifier: `8${VALID_RPPS}`,
    });
  });

  it('uses 0 + ADELI when a personal box has no RPPS', () => {
    const entry = toDirectoryEntry(buildDirectorySubject('PER', { rpps: null, adeli: '123456789' }), STRUCTURE);
    expect(entry.holderIdentifier).toBe('0123456789');
  });

  it('publishes an INT box as PER', () => {
    const entry = toDirectoryEntry(buildDirectorySubject('INT'), STRUCTURE);
    expect(entry.ansType).toBe('PER');
    expect(entry.holderIdentifier).toBe(`8${VALID_RPPS}`);
  });

  it('never publishes a responsible on a personal box', () => {
    const subject = buildDirectorySubject('PER', { responsible: { lastName: 'Martin', firstName: 'Anne' } });
    expect(toDirectoryEntry(subject, STRUCTURE).responsible).toBeNull();
  });

  it('maps an ORG box with its responsible, description and the structure FINESS', () => {
    const entry = toDirectoryEntry(buildDirectorySubject('ORG', { paperless: false }), STRUCTURE);
    expect(entry).toMatchObject({
      address: 'contact@ch-exemple.mssante.fr',
      ansType: 'ORG',
      description: 'Admissions',
      responsible: { lastName: 'Dupont', firstName: 'Laurent' },
      paperless: 'N',
      holderIdentifier: `1${VALID_FINESS}`,
    });
  });

  it('maps an APP box with 3 + SIRET when the structure has no FINESS', () => {
    const entry = toDirectoryEntry(buildDirectorySubject('APP', { paperless: null }), {
      finess: null,
      siret: VALID_SIRET,
    });
    expect(entry).toMatchObject({ ansType: 'APP', paperless: 'N', holderIdentifier: `3${VALID_SIRET}` });
  });

  it('refuses MED boxes', () => {
    expect(() => toDirectoryEntry(buildDirectorySubject('MED'), STRUCTURE)).toThrow(NotPublishableError);
  });

  it('refuses a box without an address or a holder identifier', () => {
    expect(() => toDirectoryEntry(buildDirectorySubject('PER', { correspondence: null }), STRUCTURE)).toThrow(
      /NO_CORRESPONDENCE/,
    );
    expect(() => toDirectoryEntry(buildDirectorySubject('INT', { rpps: null }), STRUCTURE)).toThrow(
      /NO_HOLDER_IDENTIFIER/,
    );
    expect(() => toDirectoryEntry(buildDirectorySubject('ORG'), { finess: null, siret: null })).toThrow(
      /NO_HOLDER_IDENTIFIER/,
    );
  });
});

describe('isListeRouge', () => {
  it('lists a valid box and keeps a pre-registered one unlisted by default', () => {
    expect(isListeRouge({ directoryVisible: null, status: 'valid' })).toBe(false);
    expect(isListeRouge({ directoryVisible: null, status: 'preregistered' })).toBe(true);
  });

  it('follows directoryVisible when it is set', () => {
    expect(isListeRouge({ directoryVisible: true, status: 'preregistered' })).toBe(false);
    expect(isListeRouge({ directoryVisible: false, status: 'valid' })).toBe(true);
  });
});
