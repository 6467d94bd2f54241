import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_IDS } from '../../domain/contract-examples';
import { MAX_PAGE_SIZE, Listed } from '../../shared/pagination';
import { DateTimeSchema, Defaulted, EmailSchema, IdSchema } from '../../shared/schemas';
import { MailboxStatusSchema, MailboxTypeSchema } from '../../domain/mailbox-vocabulary';

export const ConnectionAccountSchema = Listed(
  'ConnectionAccount',
  Type.Object({
    mailboxId: IdSchema,
    email: Type.String({ description: "The account's reference address (its login)" }),
    lastName: Type.String(),
    firstName: Type.String(),
    type: MailboxTypeSchema,
    status: MailboxStatusSchema,
    isDefault: Type.Boolean({
      description: 'The box this login opens at sign-in; at most one per login across all boxes',
    }),
    notifyOnReceipt: Type.Boolean({ description: "The login's owner is notified when this box receives mail" }),
    createdAt: DateTimeSchema,
  }),
);
export type ConnectionAccount = Static<typeof ConnectionAccountSchema>;

const referenceProperties = {
  mailboxId: Type.Optional(IdSchema),
  email: Type.Optional(EmailSchema),
};
const flagProperties = {
  isDefault: Defaulted(Type.Boolean({ default: false })),
  notifyOnReceipt: Defaulted(Type.Boolean({ default: false })),
};

export const ConnectionAccountInputSchema = Type.Object(
  { ...referenceProperties, ...flagProperties },
  {
    additionalProperties: false,
    description: 'A nominative box named by `mailboxId` or by `email` (one of the two)',
    examples: [{ mailboxId: EXAMPLE_IDS.perMailbox, isDefault: true, notifyOnReceipt: true }],
  },
);
export type ConnectionAccountInput = Static<typeof ConnectionAccountInputSchema>;

export const ReplaceConnectionAccountsBodySchema = Type.Object(
  { items: Type.Array(ConnectionAccountInputSchema, { maxItems: MAX_PAGE_SIZE }) },
  {
    additionalProperties: false,
    description: 'The whole new list; an empty list removes every account',
    examples: [
      {
        items: [
          { mailboxId: EXAMPLE_IDS.perMailbox, isDefault: true, notifyOnReceipt: true },
          { email: 'thomas.bernard@ch-aubagne.fr' },
        ],
      },
    ],
  },
);
export type ReplaceConnectionAccountsBody = Static<typeof ReplaceConnectionAccountsBodySchema>;

export const ConnectionAccountParamsSchema = Type.Object({ mailboxId: IdSchema, accountMailboxId: IdSchema });

/** The same link seen from the nominative login's side: a shared box the login can open. */
export const AccessibleMailboxSchema = Listed(
  'AccessibleMailbox',
  Type.Object({
    mailboxId: IdSchema,
    email: Type.String({ description: "The shared box's reference address" }),
    lastName: Type.String({ description: 'The name the shared box is shown by, e.g. "Service BE"' }),
    firstName: Type.String(),
    type: MailboxTypeSchema,
    status: MailboxStatusSchema,
    isDefault: Type.Boolean({
      description: 'The login opens this box at sign-in; none is the default: the login opens its own box',
    }),
    notifyOnReceipt: Type.Boolean({ description: "The login's owner is notified when this box receives mail" }),
    createdAt: DateTimeSchema,
  }),
);
export type AccessibleMailbox = Static<typeof AccessibleMailboxSchema>;

export const AccessibleMailboxParamsSchema = Type.Object({ mailboxId: IdSchema, sharedMailboxId: IdSchema });

export const UpdateAccessibleMailboxBodySchema = Type.Object(
  {
    isDefault: Type.Optional(
      Type.Boolean({
        description:
          "`true`: open this box at sign-in (the login's previous default, if any, is unset); `false`: open the login's own box",
      }),
    ),
    notifyOnReceipt: Type.Optional(
      Type.Boolean({ description: "Notify the login's owner when this box receives mail" }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'The settings to change; those omitted stay',
    examples: [{ isDefault: true, notifyOnReceipt: true }],
  },
);
export type UpdateAccessibleMailboxBody = Static<typeof UpdateAccessibleMailboxBodySchema>;
