export { createBaliseClient, dataOf, type BaliseClient, type BaliseClientOptions } from './client';
export { etagOf, readModifyWrite, type ReadModifyWriteOptions } from './etag';
export { createGeneratedClient, type GeneratedClient, type JsonMediaType } from './generated/client';
export type { components, operations, paths } from './generated/schema';
export {
  failedRows,
  startImport,
  waitForImport,
  type Import,
  type ImportOptions,
  type ImportRow,
  type StartImportOptions,
  type UploadSource,
  type WaitForImportOptions,
} from './imports';
export { paginate, paginatePages, type Page, type PageFetcher } from './pagination';
export {
  BaliseProblem,
  PreconditionFailed,
  type ProblemCode,
  type ProblemDocument,
  type ProblemError,
} from './problem';
export { retryAfterMs, retryingFetch, type Fetch, type RetryOptions } from './retry';
