import { checkExtractionHeader } from './extraction-format';

const HEADER =
  "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|Identification nationale PP|Type identifiant structure|Identification Structure|Service de rattachement|Civilité d'exercice|Nom d'exercice|Prénom d'exercice|Catégorie profession|Libellé de catégorie profession|Code Profession|Libellé Profession|Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure BAL|Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION|L3COMPLEMENTDISTRIBUTION|L4NUMEROVOIE|L4COMPLEMENTNUMEROVOIE|NL4TYPEVOIE|L4LIBELLEVOIE|L5LIEUDITMENTION|L6LIGNEACHEMINEMENT|Code postal|Département|Pays";

describe('checkExtractionHeader', () => {
  it('accepts the ANS header, with a BOM, CR or typographic apostrophes', () => {
    expect(checkExtractionHeader(HEADER)).toEqual([]);
    expect(checkExtractionHeader('\uFEFF' + HEADER.replaceAll("'", '’') + '\r')).toEqual([]);
  });

  it('names what differs', () => {
    expect(checkExtractionHeader('Adresse;Nom')[0]).toMatchObject({ code: 'EXTRACTION_LAYOUT' });
    const renamed = HEADER.replace("Nom d'exercice", 'Nom');
    expect(checkExtractionHeader(renamed)).toEqual([
      expect.objectContaining({ code: 'EXTRACTION_HEADER', message: expect.stringContaining('Column 10') }),
    ]);
  });
});
