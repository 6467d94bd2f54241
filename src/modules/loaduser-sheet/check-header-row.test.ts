import { assertHeaderRow, checkHeaderRow } from './check-header-row';
import { LOADUSER_HEADERS } from './loaduser-columns';

describe('checkHeaderRow', () => {
  it('accepts the template header, whatever the case, accents, spaces and trailing empty cells', () => {
    expect(checkHeaderRow([...LOADUSER_HEADERS])).toEqual({ ok: true, width: 34 });
    const sloppy = LOADUSER_HEADERS.map(
      (header) => ` ${header.toUpperCase().normalize('NFD').replace(/\p{M}/gu, '')}  `,
    );
    expect(checkHeaderRow([...sloppy, null, ''])).toEqual({ ok: true, width: 34 });
  });

  it('calls a shorter file with the e-mail header in A an outdated template', () => {
    const check = checkHeaderRow([
      'Adresse mail',
      'Nom',
      'Prénom',
      'RPPS',
      'Adresse',
      'Raison sociale',
      'Service',
      'Type de BAL',
    ]);
    expect(check).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_OUTDATED', details: { column: 'H', header: 'Code postal', found: 'Type de BAL' } },
    });
    expect(check.ok || check.error.message).toContain('GET /v1/imports/template');
  });

  it('names a missing column of an outdated template', () => {
    const check = checkHeaderRow(LOADUSER_HEADERS.slice(0, 33));
    expect(check).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_OUTDATED', details: { column: 'AH', header: 'Comptes de connexion', found: '' } },
    });
    expect(check.ok || check.error.message).toContain('column AH is empty');
  });

  it('refuses any other first row, naming the first column that differs', () => {
    const check = checkHeaderRow(['Email', ...LOADUSER_HEADERS.slice(1)]);
    expect(check).toMatchObject({
      ok: false,
      error: { code: 'HEADER_MISMATCH', details: { column: 'A', header: 'Adresse mail', found: 'Email' } },
    });
    expect(checkHeaderRow(['h.lefevre@ch-exemple.fr', 'Lefèvre'])).toMatchObject({
      ok: false,
      error: { code: 'HEADER_MISMATCH' },
    });
  });

  it('refuses columns past AH', () => {
    expect(checkHeaderRow([...LOADUSER_HEADERS, 'Commentaire'])).toMatchObject({
      ok: false,
      error: { code: 'HEADER_MISMATCH', details: { column: 'AI', found: 'Commentaire' } },
    });
  });

  it('throws the same error from assertHeaderRow', () => {
    expect(() => assertHeaderRow(['Adresse mail'])).toThrow(
      expect.objectContaining({ name: 'SheetError', code: 'TEMPLATE_OUTDATED' }),
    );
  });
});
