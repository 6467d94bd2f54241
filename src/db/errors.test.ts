import { isDatabaseUnavailable } from './errors';

/** How drizzle hands a driver error to our code: wrapped, the driver's error as `cause`. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query'), { cause });
const withCode = (code: string, message = 'server says no') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'a restart or pg_terminate_backend (57P01)',
      wrapped(withCode('57P01', 'terminating connection due to administrator command')),
    ],
    ['a crash shutdown (57P02)', withCode('57P02')],
    ['a server starting or in recovery (57P03)', wrapped(withCode('57P03', 'the database system is starting up'))],
    ['too many connections (53300)', withCode('53300')],
    ['a connection exception (08006)', withCode('08006')],
    ['a refused connection', wrapped(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))],
    ['a reset connection', withCode('ECONNRESET', 'read ECONNRESET')],
    ['a connection cut mid-query', wrapped(new Error('Connection terminated unexpectedly'))],
    ['a connection already known dead', new Error('Client has encountered a connection error and is not queryable')],
    ['no pooled connection in time', wrapped(new Error('timeout exceeded when trying to connect'))],
    [
      'a connection attempt timing out',
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }),
    ],
  ])('is true for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', wrapped(withCode('23505'))],
    ['a lock timeout', withCode('55P03')],
    ['a syntax error', withCode('42601')],
    ['a bug of ours', new TypeError('cannot read properties of undefined')],
    ['something that is not an error', 'Connection terminated unexpectedly'],
  ])('is false for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
