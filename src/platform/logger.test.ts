import { serializeErrorSafely } from './logger';

describe('serializeErrorSafely', () => {
  it('keeps what identifies a database failure and drops the data it quotes', () => {
    const cause = Object.assign(
      new Error('duplicate key value violates unique constraint "mailboxes_email_key_active_idx"'),
      {
        code: '23505',
        constraint: 'mailboxes_email_key_active_idx',
        detail: 'Key (email_key)=(jean.dupont@chu.example.fr) already exists.',
      },
    );
    const error = Object.assign(
      new Error('Failed query: insert into mailboxes ... params: jean.dupont@chu.example.fr,Dupont,10000013994'),
      {
        name: 'DrizzleQueryError',
        query: 'insert into mailboxes ...',
        params: ['jean.dupont@chu.example.fr', 'Dupont', '10000013994'],
        cause,
      },
    );
    const logged = JSON.stringify(serializeErrorSafely(error));
    expect(logged).not.toMatch(/jean\.dupont|Dupont|10000013994/);
    expect(serializeErrorSafely(error)).toMatchObject({
      type: 'DrizzleQueryError',
      cause: { code: '23505', constraint: 'mailboxes_email_key_active_idx' },
    });
    expect(String(serializeErrorSafely(error).stack)).toMatch(/^DrizzleQueryError: Failed query \(SQL text/);
  });
});
