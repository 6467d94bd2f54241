import { Type, type Static } from '@sinclair/typebox';
import { Named } from '../../shared/named-schemas';
import { REFERENCE_EXTRACTION_STATUSES } from '../../db/schema';
import type { UploadForm } from '../../platform/multipart-upload';
import { DateTimeSchema, IdSchema } from '../../shared/schemas';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ReferenceExtractionSchema = Named(
  'ReferenceExtraction',
  Type.Object({
    id: IdSchema,
    sourceFile: Type.String({ description: "The uploaded file's name" }),
    status: Type.Union(
      REFERENCE_EXTRACTION_STATUSES.map((status) => Type.Literal(status)),
      {
        description:
          'queued → running → succeeded (now the reference in force) or failed; superseded once a later load succeeded',
      },
    ),
    fileSize: Type.Integer({ description: 'Bytes uploaded' }),
    linesRead: Type.Integer({ description: 'Data lines read (on upload; the header and blank lines aside)' }),
    rows: Type.Integer({ description: 'Professionals kept: lines of a box held under an RPPS' }),
    malformedLines: Type.Integer({ description: 'Lines without the 31 columns of the layout (ignored)' }),
    error: Nullable(Type.String()),
    createdAt: DateTimeSchema,
    startedAt: Nullable(DateTimeSchema),
    loadedAt: Nullable(DateTimeSchema),
  }),
);
export type ReferenceExtraction = Static<typeof ReferenceExtractionSchema>;

export const ReferenceSchema = Named(
  'Reference',
  Type.Object({
    status: Type.Union([Type.Literal('none'), Type.Literal('loaded')], {
      description: 'none: no extraction loaded yet, the reference rules of the alimentation report are silent',
    }),
    extractionId: Type.Union([IdSchema, Type.Null()]),
    sourceFile: Nullable(Type.String()),
    rows: Type.Integer({ description: 'Professionals in the reference in force' }),
    loadedAt: Nullable(DateTimeSchema),
    latestExtraction: Type.Union([ReferenceExtractionSchema, Type.Null()], {
      description: 'The last upload, whatever its status (the one in force, or a newer one still loading or failed)',
    }),
  }),
);
export type Reference = Static<typeof ReferenceSchema>;

export const ExtractionParamsSchema = Type.Object({ extractionId: IdSchema });

/** The extraction upload: the file alone (any other part is refused). */
export const REFERENCE_UPLOAD_FORM: UploadForm = {
  fields: Type.Object({}, { additionalProperties: false }),
  file: {
    description: 'The ANS `Extraction_Correspondance_MSSante` file, as published (UTF-8, `|`-separated)',
    contentTypes: ['text/plain', 'text/csv', 'application/octet-stream'],
  },
};
