/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
    // @hyperjump/json-schema (the contract check in test/harness.ts) and its dependencies are ES
    // modules only: compiled to CommonJS like our own code, since Jest loads CommonJS.
    '/node_modules/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@hyperjump|just-curry-it|uuid)/)'],
  // Each test file builds its own app over its own database; PGlite start-up and
  // migrations take a moment, more so on a loaded CI machine.
  testTimeout: 30000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
};
