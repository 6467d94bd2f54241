import { isWellFormedEmail } from '../../domain/mssante-address';
import { isValidAdeli, isValidRpps, isWellFormedRpps } from '../../domain/national-identifiers';
import { NATIONAL_IDENTIFIER_REFUSALS, NATIONAL_IDENTIFIER_RULES } from '../../domain/national-identifier-policy';
import { isKnownProfession, isKnownProfessionCategory } from '../../domain/professions';
import {
  SHARED_TYPES,
  type FieldIssue,
  type MailboxFields,
  type MailboxType,
  type Responsible,
} from '../../domain/mailbox-vocabulary';

/**
 * The rules a box's fields must meet before anything is stored: the API answers 422 with these
 * issues and the loaduser import reports them per row. What can be stored but would upset the
 * ANS is the alimentation report's business, not this file's.
 *
 * Each checker handles one concern and returns its issues (empty when all is well), so callers
 * can run one alone; `checkMailboxFields` runs them all.
 */

export const CIVILITIES = ['M', 'MME'] as const;

function issue(field: string, code: string, message: string): FieldIssue {
  return { field, code, message };
}

/** Not given, cleared and blank all count as absent: an empty spreadsheet cell gives nothing. */
function isPresent(value: string | null | undefined): value is string {
  return value !== undefined && value !== null && value.trim() !== '';
}

function isSharedType(type: MailboxType): boolean {
  return SHARED_TYPES.includes(type);
}

export function checkEmail(email: string): FieldIssue[] {
  if (isWellFormedEmail(email)) return [];
  return [issue('email', 'EMAIL_INVALID', 'The reference address is not a valid e-mail address.')];
}

/** `fieldPrefix` places the issues on a nested object, e.g. `responsible.`. */
export function checkNames(names: { lastName: string; firstName: string }, fieldPrefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isPresent(names.lastName)) {
    issues.push(issue(`${fieldPrefix}lastName`, 'LAST_NAME_REQUIRED', 'The last name is required.'));
  }
  if (!isPresent(names.firstName)) {
    issues.push(issue(`${fieldPrefix}firstName`, 'FIRST_NAME_REQUIRED', 'The first name is required.'));
  }
  return issues;
}

/**
 * A test account may carry an RPPS with a wrong key: the ANS's own fictitious examples fail
 * Luhn, and test addresses are never published.
 */
export function checkRpps(rpps: string | null | undefined, isTest: boolean, field = 'rpps'): FieldIssue[] {
  if (!isPresent(rpps)) return [];
  if (!isWellFormedRpps(rpps)) {
    return [issue(field, 'RPPS_FORMAT', 'The RPPS number has exactly 11 digits.')];
  }
  if (!isTest && !isValidRpps(rpps)) {
    const message = 'The RPPS number fails its check digit; only test accounts may carry such a number.';
    return [issue(field, 'RPPS_KEY', message)];
  }
  return [];
}

export function checkAdeli(adeli: string | null | undefined, field = 'adeli'): FieldIssue[] {
  if (!isPresent(adeli) || isValidAdeli(adeli)) return [];
  return [issue(field, 'ADELI_FORMAT', 'The ADELI number has exactly 9 digits.')];
}

/**
 * Which type carries a number of its own is `NATIONAL_IDENTIFIER_RULES` (domain): PER requires
 * one, MED, ORG and APP refuse one, INT may carry one (it gets its RPPS later).
 */
export function checkNationalIdentifiers(fields: MailboxFields): FieldIssue[] {
  const isTest = fields.isTest ?? false;
  const rule = NATIONAL_IDENTIFIER_RULES[fields.type];
  if (rule === 'forbidden') {
    return [...forbidNumber(fields.rpps, 'rpps', fields.type), ...forbidNumber(fields.adeli, 'adeli', fields.type)];
  }
  if (rule === 'required' && !isPresent(fields.rpps) && !isPresent(fields.adeli)) {
    return [issue('rpps', 'NATIONAL_ID_REQUIRED', `A ${fields.type} box needs its holder's RPPS or ADELI number.`)];
  }
  return [...checkRpps(fields.rpps, isTest), ...checkAdeli(fields.adeli)];
}

function forbidNumber(value: string | null | undefined, field: 'rpps' | 'adeli', type: MailboxType): FieldIssue[] {
  if (!isPresent(value)) return [];
  const reason = NATIONAL_IDENTIFIER_REFUSALS[type] ?? `${type} boxes carry no RPPS or ADELI of their own.`;
  return [issue(field, 'NATIONAL_ID_FORBIDDEN', reason)];
}

/**
 * ORG and APP boxes are placed under a named responsible; a missing one can be stored (it often
 * comes later) and is reported as blocking by the alimentation report (ORG_WITHOUT_RESPONSIBLE).
 * The ANS never publishes a responsible for a personal box, so one there is refused.
 */
export function checkResponsible(fields: MailboxFields): FieldIssue[] {
  const responsible = fields.responsible ?? null;
  if (!isSharedType(fields.type)) {
    if (responsible === null) return [];
    const message = `${fields.type} boxes take no responsible; only ORG and APP boxes do.`;
    return [issue('responsible', 'RESPONSIBLE_FORBIDDEN', message)];
  }
  if (responsible === null) return [];
  return checkResponsibleDetails(responsible, fields.isTest ?? false);
}

function checkResponsibleDetails(responsible: Responsible, isTest: boolean): FieldIssue[] {
  return [
    ...checkNames(responsible, 'responsible.'),
    ...checkProfession(responsible.profession, 'responsible.profession'),
    ...checkRpps(responsible.rpps, isTest, 'responsible.rpps'),
    ...checkAdeli(responsible.adeli, 'responsible.adeli'),
  ];
}

/**
 * The description tells the directory what a shared box is for; a shared box without one is
 * reported (ORG_WITHOUT_DESCRIPTION), a personal box takes none.
 */
export function checkDescription(fields: MailboxFields): FieldIssue[] {
  const hasDescription = isPresent(fields.description);
  if (!isSharedType(fields.type) && hasDescription) {
    const message = `${fields.type} boxes take no description; only ORG and APP boxes do.`;
    return [issue('description', 'DESCRIPTION_FORBIDDEN', message)];
  }
  return [];
}

/** Deprecated TRE_G15 codes are storable: the alimentation report warns about them instead. */
export function checkProfession(profession: string | null | undefined, field = 'profession'): FieldIssue[] {
  if (!isPresent(profession) || isKnownProfession(profession)) return [];
  return [issue(field, 'PROFESSION_UNKNOWN', `The profession code ${profession} is not in the TRE_G15 list.`)];
}

export function checkProfessionCategory(professionCategory: string | null | undefined): FieldIssue[] {
  if (!isPresent(professionCategory) || isKnownProfessionCategory(professionCategory)) return [];
  return [issue('professionCategory', 'PROFESSION_CATEGORY_UNKNOWN', 'The professional category is C, E, M or F.')];
}

export function checkCivility(civility: string | null | undefined): FieldIssue[] {
  if (!isPresent(civility) || (CIVILITIES as readonly string[]).includes(civility)) return [];
  return [issue('civility', 'CIVILITY_UNKNOWN', 'The civility is M or MME.')];
}

export function checkExpiryDate(expiresAt: string | null | undefined): FieldIssue[] {
  if (!isPresent(expiresAt) || isCalendarDate(expiresAt)) return [];
  return [issue('expiresAt', 'DATE_INVALID', 'The expiry date is a real calendar date written YYYY-MM-DD.')];
}

/** `YYYY-MM-DD` naming a day that exists: 2024-02-29 does, 2025-02-29 and 2025-04-31 do not. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Every issue with a box's fields, in field order; an empty list means the box can be stored. */
export function checkMailboxFields(fields: MailboxFields): FieldIssue[] {
  return [
    ...checkEmail(fields.email),
    ...checkNames(fields),
    ...checkNationalIdentifiers(fields),
    ...checkProfession(fields.profession),
    ...checkProfessionCategory(fields.professionCategory),
    ...checkCivility(fields.civility),
    ...checkExpiryDate(fields.expiresAt),
    ...checkResponsible(fields),
    ...checkDescription(fields),
  ];
}
