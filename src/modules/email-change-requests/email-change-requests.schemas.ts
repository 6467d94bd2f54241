import { Type, type Static } from '@sinclair/typebox';
import { Listed } from '../../shared/pagination';
import { DateTimeSchema, EmailSchema, IdSchema } from '../../shared/schemas';

export const EMAIL_CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type EmailChangeRequestStatus = (typeof EMAIL_CHANGE_REQUEST_STATUSES)[number];
export const EmailChangeRequestStatusSchema = Type.Union(
  EMAIL_CHANGE_REQUEST_STATUSES.map((status) => Type.Literal(status)),
  {
    description: '`pending` until approved (the change is applied), rejected or cancelled; those three are final',
  },
);

export const EmailChangeRequestSchema = Listed(
  'EmailChangeRequest',
  Type.Object({
    id: IdSchema,
    mailboxId: IdSchema,
    structureId: IdSchema,
    currentEmail: Type.String({ description: 'The reference address when the request was made' }),
    newEmail: Type.String({ description: 'The reference address asked for, as given' }),
    status: EmailChangeRequestStatusSchema,
    reason: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the request was rejected or cancelled, if said',
    }),
    requestedBy: Type.Union([Type.String(), Type.Null()], { description: 'The API key that made the request' }),
    decidedBy: Type.Union([Type.String(), Type.Null()], {
      description: 'The API key that approved, rejected or cancelled it',
    }),
    decidedAt: Type.Union([DateTimeSchema, Type.Null()]),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  }),
);
export type EmailChangeRequest = Static<typeof EmailChangeRequestSchema>;

export const CreateEmailChangeRequestBodySchema = Type.Object(
  { newEmail: EmailSchema },
  { additionalProperties: false, examples: [{ newEmail: 'thomas.bernard-urgences@ch-aubagne.fr' }] },
);
export type CreateEmailChangeRequestBody = Static<typeof CreateEmailChangeRequestBodySchema>;

export const DecisionBodySchema = Type.Union(
  [
    Type.Object(
      {
        reason: Type.Optional(
          Type.String({ minLength: 1, maxLength: 500, description: 'Kept on the request and in the audit trail' }),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  {
    description: 'Optional: `{ "reason": "…" }`, `{}`, or no body at all',
    examples: [{ reason: "L'adresse demandée n'appartient pas au centre hospitalier" }],
  },
);
export type DecisionBody = Static<typeof DecisionBodySchema>;

export const EmailChangeRequestParamsSchema = Type.Object({ requestId: IdSchema });

export const EmailChangeRequestListQuerySchema = Type.Object({
  structureId: Type.Optional(IdSchema),
  mailboxId: Type.Optional(IdSchema),
  status: Type.Optional(EmailChangeRequestStatusSchema),
});
export type EmailChangeRequestListQuery = Static<typeof EmailChangeRequestListQuerySchema>;
