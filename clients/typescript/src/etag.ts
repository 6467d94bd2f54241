import { PreconditionFailed } from './problem';

/** The ETag of an answer, to send back as `If-Match`; a resource the server does not version has none. */
export function etagOf(response: Response): string {
  const etag = response.headers.get('etag');
  if (etag === null) throw new Error(`${response.url} answered no ETag`);
  return etag;
}

export interface ReadModifyWriteOptions {
  /**
   * How many times to read and write in all (default 1). Above 1, a write refused with 412 because
   * someone changed the resource in between is tried again on a fresh read: only for a change that
   * still makes sense on whatever the other writer left (`change` sees the new state).
   */
  attempts?: number;
}

/**
 * Reads a resource, computes a change from it and writes it with `If-Match`, so that a concurrent
 * change is never overwritten: the server answers 412, thrown as a typed `PreconditionFailed`.
 *
 *     await readModifyWrite(
 *       () => balise.GET('/v1/mailboxes/{mailboxId}', { params: { path: { mailboxId } } }),
 *       (box, ifMatch) => balise.PATCH('/v1/mailboxes/{mailboxId}', {
 *         params: { path: { mailboxId }, header: { 'if-match': ifMatch } },
 *         body: { service: 'Cardiologie' },
 *       }));
 */
export async function readModifyWrite<R, W>(
  read: () => Promise<{ data?: R; response: Response }>,
  change: (current: R, ifMatch: string) => Promise<{ data?: W; response: Response }>,
  options: ReadModifyWriteOptions = {},
): Promise<W | undefined> {
  const attempts = Math.max(1, options.attempts ?? 1);
  for (let attempt = 1; ; attempt += 1) {
    const { data: current, response } = await read();
    if (current === undefined) throw new Error(`${response.url} answered no body to modify`);
    try {
      const { data } = await change(current, etagOf(response));
      return data;
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || attempt >= attempts) throw error;
    }
  }
}
