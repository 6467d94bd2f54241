export * from './api-keys';
export * from './audit-events';
export * from './idempotency-keys';
export * from './jobs';
export * from './structures';
export * from './mailboxes';
export * from './imports';
export * from './reference';
