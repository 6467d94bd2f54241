import type { MailboxType } from '../../../domain/mailbox-vocabulary';
import { ALIMENTATION_RULES } from './alimentation-rules';
import { ALIMENTATION_RULE_CODES, type AlimentationRuleCode } from './rule-codes';
import { isRuleBroken } from './evaluate-mailbox';
import type { RuleContext, RuleSubject } from './rule-types';
import { buildContext, buildReference, buildSubject, VALID_FINESS, VALID_RPPS } from './rule-fixtures.test-support';

interface RuleCase {
  type: MailboxType;
  subject?: Partial<RuleSubject>;
  context?: Partial<RuleContext>;
}

/** For every rule: a box where it stays silent and one where it fires. */
const CASES: Record<AlimentationRuleCode, { passing: RuleCase[]; failing: RuleCase[] }> = {
  MISSING_CORRESPONDENCE: {
    passing: [{ type: 'PER' }, { type: 'ORG', subject: { status: 'preregistered', correspondence: null } }],
    failing: [
      { type: 'PER', subject: { correspondence: null } },
      { type: 'APP', subject: { correspondence: null } },
    ],
  },
  INT_WITHOUT_RPPS: {
    passing: [{ type: 'INT' }, { type: 'PER', subject: { rpps: null, adeli: '123456789' } }],
    failing: [{ type: 'INT', subject: { rpps: null } }],
  },
  INT_WITHOUT_EXPIRY: {
    passing: [{ type: 'INT' }, { type: 'PER', subject: { expiresAt: null } }],
    failing: [{ type: 'INT', subject: { expiresAt: null } }],
  },
  ADELI_ONLY: {
    passing: [{ type: 'PER' }, { type: 'PER', subject: { adeli: '123456789' } }],
    failing: [{ type: 'PER', subject: { rpps: null, adeli: '123456789' } }],
  },
  STRUCTURE_WITHOUT_NATIONAL_ID: {
    passing: [{ type: 'ORG', context: { structure: { finess: null, siret: '73282932000074' } } }],
    failing: [{ type: 'APP', context: { structure: { finess: null, siret: null } } }],
  },
  STRUCTURE_ID_KEY: {
    passing: [
      { type: 'ORG' },
      { type: 'ORG', context: { structure: { finess: '2A0000000', siret: null } } },
      { type: 'ORG', context: { structure: { finess: null, siret: '35600000000001' } } }, // La Poste
      { type: 'ORG', context: { structure: { finess: null, siret: null } } },
    ],
    failing: [
      { type: 'ORG', context: { structure: { finess: '010000603', siret: null } } },
      { type: 'APP', context: { structure: { finess: VALID_FINESS, siret: '73282932000075' } } },
    ],
  },
  ORG_WITHOUT_RESPONSIBLE: {
    passing: [{ type: 'ORG' }],
    failing: [
      { type: 'ORG', subject: { responsible: null } },
      { type: 'APP', subject: { responsible: null } },
    ],
  },
  RESPONSIBLE_WITHOUT_IDENTIFIER: {
    passing: [
      { type: 'ORG' },
      { type: 'ORG', subject: { responsible: { lastName: 'Martin', firstName: 'Anne', profession: null } } },
      {
        type: 'ORG',
        subject: { responsible: { lastName: 'Martin', firstName: 'Anne', profession: '60', adeli: '123456789' } },
      },
    ],
    failing: [
      {
        type: 'APP',
        subject: { responsible: { lastName: 'Martin', firstName: 'Anne', profession: '60', rpps: null } },
      },
    ],
  },
  ORG_WITHOUT_DESCRIPTION: {
    passing: [{ type: 'APP' }],
    failing: [
      { type: 'ORG', subject: { description: null } },
      { type: 'APP', subject: { description: '  ' } },
    ],
  },
  ORG_WITHOUT_CONNECTION_ACCOUNT: {
    passing: [{ type: 'ORG' }, { type: 'APP', subject: { connectionAccountCount: 0 } }],
    failing: [{ type: 'ORG', subject: { connectionAccountCount: 0 } }],
  },
  PER_WITH_RESPONSIBLE: {
    passing: [{ type: 'PER' }],
    failing: [{ type: 'PER', subject: { responsible: { lastName: 'Martin', firstName: 'Anne' } } }],
  },
  PROFESSION_UNKNOWN: {
    passing: [{ type: 'PER' }, { type: 'INT', subject: { profession: '93' } }],
    failing: [
      { type: 'PER', subject: { profession: '99' } },
      { type: 'INT', subject: { profession: null } },
    ],
  },
  PROFESSION_DEPRECATED: {
    passing: [{ type: 'PER' }, { type: 'PER', subject: { profession: null } }],
    failing: [
      { type: 'PER', subject: { profession: '93' } },
      { type: 'INT', subject: { profession: '37' } },
    ],
  },
  RPPS_NOT_IN_REFERENCE: {
    passing: [
      { type: 'PER' },
      { type: 'PER', subject: { rpps: '10006122583' }, context: { reference: null } },
      { type: 'INT', subject: { rpps: null } },
    ],
    failing: [{ type: 'PER', subject: { rpps: '10006122583' } }],
  },
  NAME_MISMATCH_REFERENCE: {
    passing: [
      { type: 'PER', subject: { lastName: 'LEFEVRE', firstName: 'helene' } },
      { type: 'PER', subject: { lastName: 'Martin' }, context: { reference: null } },
      {
        type: 'PER',
        subject: { firstName: 'Jean Pierre' },
        context: {
          reference: buildReference({
            [VALID_RPPS]: { lastName: 'Lefèvre', firstName: 'JEAN-PIERRE', profession: null },
          }),
        },
      },
      {
        type: 'INT',
        subject: { firstName: 'Anything' },
        context: {
          reference: buildReference({ [VALID_RPPS]: { lastName: 'LEFÈVRE', firstName: null, profession: null } }),
        },
      },
    ],
    failing: [
      { type: 'PER', subject: { lastName: 'Martin' } },
      { type: 'INT', subject: { firstName: 'Hélèna' } },
    ],
  },
  EXPIRY_PASSED: {
    passing: [
      { type: 'INT', subject: { expiresAt: '2025-06-15' } },
      { type: 'INT', subject: { expiresAt: '2025-06-14', status: 'deactivated' } },
    ],
    failing: [
      { type: 'INT', subject: { expiresAt: '2025-06-14' } },
      { type: 'ORG', subject: { expiresAt: '2024-12-31', status: 'preregistered' } },
    ],
  },
  DOMAIN_NOT_MSSANTE: {
    passing: [{ type: 'PER' }, { type: 'ORG', subject: { correspondence: null } }],
    failing: [
      {
        type: 'PER',
        subject: { correspondence: { localPart: 'a', domain: 'ch-exemple.fr', address: 'a@ch-exemple.fr' } },
      },
      { type: 'APP', subject: { correspondence: { localPart: 'a', domain: 'mssante.fr', address: 'a@mssante.fr' } } },
    ],
  },
};

function findRule(code: AlimentationRuleCode) {
  const rule = ALIMENTATION_RULES.find((candidate) => candidate.code === code);
  if (rule === undefined) throw new Error(`no rule ${code}`);
  return rule;
}

function runCase(code: AlimentationRuleCode, ruleCase: RuleCase): boolean {
  return isRuleBroken(findRule(code), buildSubject(ruleCase.type, ruleCase.subject), buildContext(ruleCase.context));
}

describe('the alimentation rule catalogue', () => {
  it('has the 17 codes of the spec, each once, in its order', () => {
    const codes = ALIMENTATION_RULES.map((rule) => rule.code);
    expect(codes).toEqual([...ALIMENTATION_RULE_CODES]);
    expect(new Set(codes).size).toBe(17);
  });

  it.each(ALIMENTATION_RULES.map((rule) => [rule.code, rule] as const))(
    '%s has messages in English and French',
    (_code, rule) => {
      expect(rule.message.en.length).toBeGreaterThan(10);
      expect(rule.message.fr.length).toBeGreaterThan(10);
      expect(rule.message.fr).not.toEqual(rule.message.en);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
    },
  );

  it('has the severities of the spec', () => {
    const blocking = ALIMENTATION_RULES.filter((rule) => rule.severity === 'blocking').map((rule) => rule.code);
    expect(blocking.sort()).toEqual(
      [
        'MISSING_CORRESPONDENCE',
        'INT_WITHOUT_RPPS',
        'STRUCTURE_WITHOUT_NATIONAL_ID',
        'STRUCTURE_ID_KEY',
        'ORG_WITHOUT_RESPONSIBLE',
        'RPPS_NOT_IN_REFERENCE',
        'DOMAIN_NOT_MSSANTE',
      ].sort(),
    );
  });

  it('stays silent on a clean box of every fed type', () => {
    for (const type of ['PER', 'INT', 'ORG', 'APP'] as const) {
      const broken = ALIMENTATION_RULES.filter((rule) => isRuleBroken(rule, buildSubject(type), buildContext()));
      expect(broken.map((rule) => rule.code)).toEqual([]);
    }
  });

  describe.each(ALIMENTATION_RULE_CODES.map((code) => [code]))('%s', (code) => {
    it.each(CASES[code].passing.map((ruleCase) => [JSON.stringify(ruleCase), ruleCase] as const))(
      'passes %s',
      (_label, ruleCase) => {
        expect(runCase(code, ruleCase)).toBe(false);
      },
    );
    it.each(CASES[code].failing.map((ruleCase) => [JSON.stringify(ruleCase), ruleCase] as const))(
      'fires on %s',
      (_label, ruleCase) => {
        expect(runCase(code, ruleCase)).toBe(true);
      },
    );
  });

  it('does not apply a rule to a type outside its scope', () => {
    // ADELI_ONLY is a PER rule: an INT with only an ADELI is caught by INT_WITHOUT_RPPS instead.
    expect(
      isRuleBroken(findRule('ADELI_ONLY'), buildSubject('INT', { rpps: null, adeli: '123456789' }), buildContext()),
    ).toBe(false);
  });
});
