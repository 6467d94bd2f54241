import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLE_DOMAIN } from '../../domain/contract-examples';
import { Named } from '../../shared/named-schemas';
import { DateTimeSchema, IdSchema } from '../../shared/schemas';
import { CorrespondenceSchema } from '../mailboxes/mailboxes.schemas';

export const PutCorrespondenceBodySchema = Type.Object(
  {
    localPart: Type.String({
      // The rules (at most 64 characters, the alphabet, the dots) answer 422 naming the field; this bound only stops abuse.
      maxLength: 256,
      description:
        'The text before the `@`: at most 64 lowercase letters, digits, `.`, `-`, `_`; no leading, trailing or double dot',
    }),
    domain: Type.Optional(
      Type.Union([Type.String({ maxLength: 253 }), Type.Null()], {
        description: "One of the structure's MSSanté domains; omitted, null or empty: the structure's first domain",
      }),
    ),
  },
  { additionalProperties: false, examples: [{ localPart: 'camille.martin', domain: EXAMPLE_DOMAIN }] },
);
export type PutCorrespondenceBody = Static<typeof PutCorrespondenceBodySchema>;

export const WithdrawnCorrespondenceSchema = Type.Object({
  ...CorrespondenceSchema.properties,
  withdrawnAt: DateTimeSchema,
});
export type WithdrawnCorrespondence = Static<typeof WithdrawnCorrespondenceSchema>;

export const CorrespondenceViewSchema = Named(
  'MailboxCorrespondence',
  Type.Object({
    mailboxId: IdSchema,
    current: Type.Union([CorrespondenceSchema, Type.Null()], {
      description: 'The active MSSanté address; null when the box has none',
    }),
    history: Type.Array(WithdrawnCorrespondenceSchema, {
      description: 'The addresses the box held in its current structure and that were withdrawn, newest first',
    }),
  }),
);
export type CorrespondenceView = Static<typeof CorrespondenceViewSchema>;
