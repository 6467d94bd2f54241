/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/clients/typescript/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
    // -- why: PGlite loads a contrib extension's files (the search's unaccent) with import('fs/promises'), which
    // jest's module sandbox refuses without --experimental-vm-modules; compiled to require() it loads as in Node.js.
    '/node_modules/@electric-sql/pglite/dist/index\\.cjs$': ['@swc/jest', { module: { type: 'commonjs' } }],
    // @hyperjump/json-schema (the contract check in test/harness.ts) and its dependencies are ES
    // modules only: compiled to CommonJS like our own code, since Jest loads CommonJS.
    // jose and openid-client (OpenID Connect bearer tokens, platform/auth/oidc) and oidc-provider (the
    // provider the tests sign people in with) are ES modules only too.
    '/node_modules/(@hyperjump|just-curry-it|uuid|jose|openid-client|oauth4webapi|oidc-provider)/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@electric-sql/pglite/dist/index\\.cjs$|@hyperjump/|just-curry-it/|uuid/|jose/|openid-client/|oauth4webapi/|oidc-provider/))',
  ],
  // Each test file builds its own app over its own database; PGlite start-up and
  // migrations take a moment, more so on a loaded CI machine.
  testTimeout: 30000,
  // The database is migrated once per run; each test file starts from a copy of it (test/migrated-database.ts).
  globalSetup: '<rootDir>/test/migrated-database.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
  // A worker that ran many files holds a heap past a gigabyte (each file's PGlite and app), and a
  // major collection of that heap pauses it for seconds: the hostile-upload tests, which require the
  // event loop to answer within a second, then fail for what the previous files left. A worker
  // grown past this between files is replaced by a fresh one.
  workerIdleMemoryLimit: '768MB',
};
