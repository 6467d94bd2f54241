import { Readable } from 'node:stream';
import { detectSheetFormat } from './detect-sheet-format';
import { peekStreamStart } from './peek-stream-start';

describe('detectSheetFormat', () => {
  it('trusts magic bytes over file names', () => {
    expect(detectSheetFormat('export.csv', Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('xlsx');
    expect(detectSheetFormat(undefined, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toBe('xls');
    expect(detectSheetFormat('loaduser.xlsx', Buffer.from('Adresse mail;Nom\r\n'))).toBe('csv');
    expect(detectSheetFormat('loaduser.csv', Buffer.from('Adresse mail;Pr\xe9nom\r\n', 'latin1'))).toBe('csv');
  });

  it.each([
    ['empty', undefined, Buffer.alloc(0), 'FILE_EMPTY'],
    [
      'binary garbage',
      'loaduser.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      'FORMAT_UNSUPPORTED',
    ],
    ['a PDF', 'loaduser.xlsx', Buffer.from('%PDF-1.7\n'), 'FORMAT_UNSUPPORTED'],
    ['UTF-16 text', 'loaduser.txt', Buffer.from('\ufeffAdresse mail\tNom', 'utf16le'), 'FORMAT_UNSUPPORTED'],
    ['HTML posing as xls', 'loaduser.xls', Buffer.from('<html><table>'), 'FORMAT_UNSUPPORTED'],
    ['a Word document', 'courrier.docx', Buffer.from('PK\x03\x04rest', 'latin1'), 'FORMAT_UNSUPPORTED'],
    [
      'an OpenDocument sheet',
      'loaduser.ods',
      Buffer.concat([
        Buffer.from('PK\x03\x04', 'latin1'),
        Buffer.alloc(26),
        Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'),
      ]),
      'FORMAT_UNSUPPORTED',
    ],
    ['an empty zip', 'loaduser.xlsx', Buffer.from('PK\x05\x06', 'latin1'), 'FILE_UNREADABLE'],
  ])('refuses %s with a typed error', (_label, filename, bytes, code) => {
    expect(() => detectSheetFormat(filename, bytes)).toThrow(expect.objectContaining({ name: 'SheetError', code }));
  });
});

describe('peekStreamStart', () => {
  it('returns the first bytes and a stream that still starts with them', async () => {
    const input = Readable.from([Buffer.from('Adresse'), Buffer.from(' mail;Nom'), Buffer.from('\r\nrest')], {
      objectMode: false,
    });
    const { firstBytes, stream } = await peekStreamStart(input, 10);
    expect(firstBytes.toString()).toBe('Adresse ma');
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('Adresse mail;Nom\r\nrest');
  });
});
