import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../shared/schemas';

/** The operator's five kinds of box, with the codes the loaduser sheet and the directory use. */
export const MAILBOX_TYPES = ['PER', 'MED', 'INT', 'ORG', 'APP'] as const;
export type MailboxType = (typeof MAILBOX_TYPES)[number];
export const MailboxTypeSchema = StringEnum(MAILBOX_TYPES, {
  description: 'PER personal, MED Medimail-only login, INT internal without RPPS, ORG shared, APP applicative',
});

/** Nominative boxes: one person each. Only these may be connection accounts or delegates. */
export const NOMINATIVE_TYPES: readonly MailboxType[] = ['PER', 'MED', 'INT'];
/**
 * Boxes whose reference address an invitation or a reminder reaches: the deck invites "pour les
 * comptes MED, PER et INT". An ORG or APP box's reference address has no person behind it to
 * complete a registration; its responsible is reached by other means.
 */
export function receivesInvitations(type: MailboxType): boolean {
  return NOMINATIVE_TYPES.includes(type);
}
/** Boxes used through someone else's login and placed under a named responsible. */
export const SHARED_TYPES: readonly MailboxType[] = ['ORG', 'APP'];

export const MAILBOX_STATUSES = ['preregistered', 'pending', 'valid', 'rejected', 'deactivated', 'deleted'] as const;
export type MailboxStatus = (typeof MAILBOX_STATUSES)[number];
export const MailboxStatusSchema = StringEnum(MAILBOX_STATUSES);

export const ResponsibleSchema = Type.Object(
  {
    lastName: Type.String({ minLength: 1, maxLength: 100 }),
    firstName: Type.String({ minLength: 1, maxLength: 100 }),
    profession: Type.Optional(Nullable(Type.String({ maxLength: 4 }))),
    rpps: Type.Optional(Nullable(Type.String())),
    adeli: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: false, description: 'The named person in charge of an ORG or APP box' },
);
export type Responsible = Static<typeof ResponsibleSchema>;

/**
 * The fields a caller (API body or loaduser row) sets on a box, before the rules run.
 * `undefined` means "not given"; `null` means "cleared".
 */
export interface MailboxFields {
  type: MailboxType;
  email: string;
  lastName: string;
  firstName: string;
  profession?: string | null;
  rpps?: string | null;
  adeli?: string | null;
  service?: string | null;
  organisationName?: string | null;
  address?: string | null;
  postalCode?: string | null;
  city?: string | null;
  phone?: string | null;
  mailboxPhone?: string | null;
  civility?: string | null;
  professionCategory?: string | null;
  specialty?: string | null;
  paperless?: boolean | null;
  expiresAt?: string | null;
  isTest?: boolean;
  directoryVisible?: boolean | null;
  responsible?: Responsible | null;
  description?: string | null;
}

/** One thing wrong with one field; the API and the import render it their own way. */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}
