import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_IDS } from '../../domain/contract-examples';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, EmailSchema, IdSchema } from '../../shared/schemas';
import { MailboxStatusSchema, MailboxTypeSchema } from '../../domain/mailbox-vocabulary';

export const DelegateSchema = Listed(
  'Delegate',
  Type.Object({
    delegateMailboxId: IdSchema,
    email: Type.String({ description: "The delegate's reference address (its login)" }),
    lastName: Type.String(),
    firstName: Type.String(),
    type: MailboxTypeSchema,
    status: MailboxStatusSchema,
    createdAt: DateTimeSchema,
  }),
);
export type Delegate = Static<typeof DelegateSchema>;

export const AddDelegateBodySchema = Type.Object(
  {
    delegateMailboxId: Type.Optional(IdSchema),
    email: Type.Optional(EmailSchema),
  },
  {
    additionalProperties: false,
    description: 'The delegate, named by `delegateMailboxId` or by its reference `email` (one of the two)',
    examples: [{ delegateMailboxId: EXAMPLE_IDS.intMailbox }],
  },
);
export type AddDelegateBody = Static<typeof AddDelegateBodySchema>;

export const DelegateParamsSchema = Type.Object({ mailboxId: IdSchema, delegateMailboxId: IdSchema });
