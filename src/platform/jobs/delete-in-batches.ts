import type { JobContext } from './job-definition';

/**
 * A retention purge's loop: deletes `batchSize` rows at a time (each statement short, whatever the
 * backlog) until a batch comes back short, renewing the job's lease between batches. Answers the total.
 */
export async function deleteInBatches(
  context: Pick<JobContext, 'extendLease'>,
  batchSize: number,
  deleteBatch: (limit: number) => Promise<number>,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await deleteBatch(batchSize);
    deleted += batch;
    if (batch < batchSize) return deleted;
    await context.extendLease();
  }
}
