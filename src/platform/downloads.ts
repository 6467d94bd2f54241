import { PassThrough, type Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Representations } from './content-negotiation';
import { withHeaders } from './openapi/response-headers';

export type DownloadFormat = 'csv' | 'xlsx';

/** The media type of each format, xlsx first: the one sent when neither `format` nor `Accept` chooses. */
export const DOWNLOAD_CONTENT_TYPES: Representations<DownloadFormat> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** The contract of a download route's 200: the file, in either format. */
export function downloadResponse(description: string) {
  return withHeaders(
    {
      description,
      content: {
        'text/csv': { schema: Type.String({ description: '`;`-separated, UTF-8 with a BOM' }) },
        [DOWNLOAD_CONTENT_TYPES.xlsx]: { schema: Type.String({ format: 'binary' }) },
      },
    },
    'Content-Disposition',
  );
}

/**
 * Streams a file to the client as it is written: `write` gets the response body as a Writable,
 * must end it, and is not awaited. A failure once bytes have left can only cut the response
 * short (logged); fail before calling this (see `primeRows`) to answer a proper problem.
 */
export function sendDownload(
  reply: FastifyReply,
  download: { fileName: string; format: DownloadFormat; write: (out: Writable) => Promise<void> },
): FastifyReply {
  const body = new PassThrough();
  download.write(body).catch((error: unknown) => {
    reply.log.error({ err: error }, 'download failed while streaming');
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply
    .header('content-type', DOWNLOAD_CONTENT_TYPES[download.format])
    .header('content-disposition', `attachment; filename="${download.fileName.replace(/[^\w.-]/g, '_')}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

/**
 * Fetches the first item of a lazy sequence now, so that a failing first query (or a refusal)
 * surfaces before the response starts; the sequence is then replayed whole.
 */
export async function primeRows<T>(rows: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
}
