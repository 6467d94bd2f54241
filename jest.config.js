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
  },
  // Each test file builds its own app over its own database; PGlite start-up and
  // migrations take a moment, more so on a loaded CI machine.
  testTimeout: 30000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
};
