import { Type, type Static } from '@sinclair/typebox';
import {
  EXAMPLE_DOMAIN,
  EXAMPLE_FINESS,
  EXAMPLE_IDS,
  EXAMPLE_INSTANT,
  EXAMPLE_PROFESSION,
  EXAMPLE_RPPS,
} from '../../domain/contract-examples';
import { Named, NamedRef } from '../../shared/named-schemas';
import { DateTimeSchema, IdSchema } from '../../shared/schemas';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const DirectoryResponsibleSchema = Type.Object({
  lastName: Type.String(),
  firstName: Type.String(),
  profession: Type.Optional(NullableString),
  rpps: Type.Optional(NullableString),
  adeli: Type.Optional(NullableString),
});

export const DirectoryEntrySchema = Named(
  'DirectoryEntry',
  Type.Object(
    {
      address: Type.String({ description: 'The MSSanté address: the key of the entry at the ANS, with `ansType`' }),
      ansType: Type.Union([Type.Literal('PER'), Type.Literal('ORG'), Type.Literal('APP')], {
        description: 'INT boxes are published as PER; MED never',
      }),
      change: Type.Union([Type.Literal('published'), Type.Literal('withdrawn')], {
        description:
          'published: add or replace the entry (by address and type); withdrawn: remove it (only with `since`)',
      }),
      mailboxId: IdSchema,
      structureId: IdSchema,
      listeRouge: Type.Boolean({ description: 'true: fed, but the ANS keeps it out of the public directory' }),
      description: NullableString,
      service: NullableString,
      responsible: Type.Union([DirectoryResponsibleSchema, Type.Null()], {
        description: 'ORG and APP only; not public at the ANS',
      }),
      phone: NullableString,
      paperless: Type.Union([Type.Literal('O'), Type.Literal('N')], { description: 'Dématérialisation' }),
      holderIdentifier: Type.String({
        description: '`8`+RPPS or `0`+ADELI (PER); `1`+FINESS or `3`+SIRET of the structure (ORG, APP)',
      }),
      publishedAt: DateTimeSchema,
      changedAt: DateTimeSchema,
      withdrawnAt: Type.Union([DateTimeSchema, Type.Null()]),
    },
    {
      examples: [
        {
          address: `secretariat.cardiologie@${EXAMPLE_DOMAIN}`,
          ansType: 'ORG',
          change: 'published',
          mailboxId: EXAMPLE_IDS.orgMailbox,
          structureId: EXAMPLE_IDS.structure,
          listeRouge: false,
          description: 'Rendez-vous et comptes rendus de consultation',
          service: 'Cardiologie',
          responsible: {
            lastName: 'Dubois',
            firstName: 'Léa',
            profession: EXAMPLE_PROFESSION.nurse,
            rpps: EXAMPLE_RPPS.nurse,
          },
          phone: '+33442846000',
          paperless: 'O',
          holderIdentifier: `1${EXAMPLE_FINESS}`,
          publishedAt: EXAMPLE_INSTANT,
          changedAt: EXAMPLE_INSTANT,
          withdrawnAt: null,
        },
      ],
    },
  ),
);
export type DirectoryEntryItem = Static<typeof DirectoryEntrySchema>;

export const DirectoryQuerySchema = Type.Object({
  since: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'A `syncToken` of an earlier answer, or an ISO 8601 date-time: lists what was published, changed or withdrawn after it',
    }),
  ),
  structureId: Type.Optional(IdSchema),
});
export type DirectoryQuery = Static<typeof DirectoryQuerySchema>;

export const DirectoryPageSchema = Named(
  'DirectoryPage',
  Type.Object({
    items: Type.Array(NamedRef(DirectoryEntrySchema)),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
    syncToken: Type.String({ description: 'Keep it after the last page and send it as `since` next time' }),
    refreshedAt: Type.Union([DateTimeSchema, Type.Null()], {
      description: 'When the feed was last brought up to date with the boxes',
    }),
  }),
);
export type DirectoryPage = Static<typeof DirectoryPageSchema>;
