import { Type, type Static } from '@sinclair/typebox';
import { Named } from '../../shared/named-schemas';
import { EXAMPLE_IDS, EXAMPLE_INSTANT } from '../../domain/contract-examples';
import { MailboxTypeSchema } from '../../domain/mailbox-vocabulary';
import { DateTimeSchema, IdSchema, StringEnum } from '../../shared/schemas';
import { ALIMENTATION_RULE_CODES } from './rules';

export const RuleCodeSchema = Type.Union(
  ALIMENTATION_RULE_CODES.map((code) => Type.Literal(code)),
  { description: 'Stable rule code (see the rule catalogue)' },
);
export const SeveritySchema = Type.Union([Type.Literal('blocking'), Type.Literal('warning')], {
  description: 'blocking: the box is not published while the issue stands; warning: published, but the data is poor',
});

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const ReportQuerySchema = Type.Object({
  format: Type.Optional(
    StringEnum(REPORT_FORMATS, {
      description:
        'json: one page of issues and the summary; csv (`;`, UTF-8 with BOM) and xlsx: every matching issue, streamed, `limit` and `cursor` ignored. ' +
        'A shortcut for `Accept`, which it wins over when both are given; without either, json',
    }),
  ),
  rule: Type.Optional(RuleCodeSchema),
  severity: Type.Optional(SeveritySchema),
  type: Type.Optional(MailboxTypeSchema),
});
export type ReportQuery = Static<typeof ReportQuerySchema>;
export type ReportFilters = Pick<ReportQuery, 'rule' | 'severity' | 'type'>;

export const ReportItemSchema = Type.Object({
  mailboxId: IdSchema,
  email: Type.String({ description: "The box's reference address" }),
  type: MailboxTypeSchema,
  rule: RuleCodeSchema,
  severity: SeveritySchema,
  field: Type.String({ description: 'The field to fix, e.g. `responsible` or `correspondence.domain`' }),
  message: Type.String({ description: 'In the language of Accept-Language (fr or en; en by default)' }),
});
export type ReportItem = Static<typeof ReportItemSchema>;

const CountsByRuleSchema = Type.Object(
  Object.fromEntries(ALIMENTATION_RULE_CODES.map((code) => [code, Type.Integer({ minimum: 0 })])),
  { description: 'Issues per rule, every rule listed' },
);

export const ReportSummarySchema = Type.Object({
  byRule: CountsByRuleSchema,
  bySeverity: Type.Object({ blocking: Type.Integer(), warning: Type.Integer() }),
  mailboxesWithBlockingIssues: Type.Integer({
    description: 'Fed boxes kept out of the directory by at least one blocking issue',
  }),
  mailboxesWithIssues: Type.Integer(),
  fedMailboxes: Type.Integer({ description: 'Boxes the report covers: pre-registered or valid, not test, not MED' }),
});
export type ReportSummary = Static<typeof ReportSummarySchema>;

/** One page: an ORG box whose responsible has no identifier, and the summary of the whole structure. */
const REPORT_EXAMPLE = {
  structureId: EXAMPLE_IDS.structure,
  generatedAt: EXAMPLE_INSTANT,
  language: 'fr',
  reference: null,
  summary: {
    byRule: Object.fromEntries(
      ALIMENTATION_RULE_CODES.map((code) => [code, code === 'RESPONSIBLE_WITHOUT_IDENTIFIER' ? 1 : 0]),
    ),
    bySeverity: { blocking: 0, warning: 1 },
    mailboxesWithBlockingIssues: 0,
    mailboxesWithIssues: 1,
    fedMailboxes: 4,
  },
  items: [
    {
      mailboxId: EXAMPLE_IDS.appMailbox,
      email: 'dpi.resultats@ch-aubagne.fr',
      type: 'APP',
      rule: 'RESPONSIBLE_WITHOUT_IDENTIFIER',
      severity: 'warning',
      field: 'responsible.rpps',
      message: "La profession du responsable relève du RPPS ou d'ADELI, mais aucun numéro n'est renseigné.",
    },
  ],
  nextCursor: null,
};

export const AlimentationReportSchema = Named(
  'AlimentationReport',
  Type.Object(
    {
      structureId: IdSchema,
      generatedAt: DateTimeSchema,
      language: Type.Union([Type.Literal('en'), Type.Literal('fr')]),
      reference: Type.Union(
        [Type.Object({ extractionId: IdSchema, sourceFile: Type.String(), loadedAt: DateTimeSchema }), Type.Null()],
        {
          description:
            'The reference extraction the two reference rules used; null: none loaded, those rules are silent',
        },
      ),
      summary: ReportSummarySchema,
      items: Type.Array(ReportItemSchema),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
    },
    { examples: [REPORT_EXAMPLE] },
  ),
);
export type AlimentationReport = Static<typeof AlimentationReportSchema>;
