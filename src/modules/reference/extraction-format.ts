import type { ErrorDetail } from '../../domain/errors/error-catalogue';

/**
 * The ANS public `Extraction_Correspondance_MSSante` file: UTF-8, `|`-separated, 31 columns,
 * one header line, as the ANS publishes it. Only the columns the reference keeps are named.
 */
export const EXTRACTION_COLUMN_COUNT = 31;
export const EXTRACTION_SEPARATOR = '|';

export const EXTRACTION_COLUMNS = {
  boxType: { index: 0, header: 'Type de BAL' },
  address: { index: 1, header: 'Adresse BAL' },
  personIdType: { index: 2, header: 'Type Identifiant PP' },
  personId: { index: 3, header: 'Identifiant PP' },
  lastName: { index: 9, header: "Nom d'exercice" },
  firstName: { index: 10, header: "Prénom d'exercice" },
  profession: { index: 13, header: 'Code Profession' },
} as const;

const normaliseHeader = (text: string) =>
  text.normalize('NFC').replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

/** What is wrong with the header line (empty: it is the extraction's header). */
export function checkExtractionHeader(line: string): ErrorDetail[] {
  const cells = line
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '')
    .split(EXTRACTION_SEPARATOR);
  if (cells.length < EXTRACTION_COLUMN_COUNT) {
    return [
      {
        field: 'file',
        code: 'EXTRACTION_LAYOUT',
        message: `The header has ${cells.length} \`|\`-separated columns; the ANS extraction has ${EXTRACTION_COLUMN_COUNT}`,
      },
    ];
  }
  return Object.values(EXTRACTION_COLUMNS)
    .filter((column) => normaliseHeader(cells[column.index] ?? '') !== normaliseHeader(column.header))
    .map((column) => ({
      field: 'file',
      code: 'EXTRACTION_HEADER',
      message: `Column ${column.index + 1} should be "${column.header}", found "${(cells[column.index] ?? '').slice(0, 60)}"`,
    }));
}
