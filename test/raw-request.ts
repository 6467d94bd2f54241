import type { AddressInfo } from 'node:net';
import type { TestApp } from './harness';

export interface RawAnswer {
  status: number;
  contentType: string | null;
  body: unknown;
}

/**
 * Sends bytes exactly as given. supertest (superagent) re-serialises a Buffer sent with a JSON
 * content type, so invalid UTF-8 could not be sent through it.
 */
export async function sendBytes(
  test: TestApp,
  method: string,
  path: string,
  headers: Record<string, string>,
  bytes: Buffer,
): Promise<RawAnswer> {
  const server = test.app.server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server listens on no TCP port');
  const response = await fetch(`http://127.0.0.1:${address.port}${path}`, { method, headers, body: bytes });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}
