import { MAILBOX_STATUSES, MAILBOX_TYPES } from '../../../domain/mailbox-vocabulary';
import { FileState } from './planning-context';

describe('the file state of an import', () => {
  it('gives back each row entry as it was remembered, whatever its type, status, flag and row number', () => {
    const file = new FileState();
    const entries = [undefined, ...MAILBOX_TYPES].flatMap((type, typeIndex) =>
      MAILBOX_STATUSES.flatMap((status, statusIndex) =>
        [false, true].map((failed) => ({
          rowNumber: 2 + typeIndex * 1_000_000 + statusIndex * 30_000_000 + (failed ? 1 : 0),
          type,
          status,
          failed,
        })),
      ),
    );
    entries.forEach((entry, index) => file.rows.set(`row${index}@example.fr`, entry));
    entries.forEach((entry, index) => expect(file.rows.get(`row${index}@example.fr`)).toEqual(entry));
    expect(file.rows.has('row0@example.fr')).toBe(true);
    expect(file.rows.get('absent@example.fr')).toBeUndefined();
  });

  it('finds a key from another string of the same characters (it keeps its own copy)', () => {
    const file = new FileState();
    const text = 'jean.dupont@example.fr;marie.curie@example.fr';
    file.addresses.set(text.slice(0, 22), 7);
    expect(file.addresses.get('jean.dupont@example.fr')).toBe(7);
  });
});
