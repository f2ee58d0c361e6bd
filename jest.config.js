// Two projects: unit tests (milliseconds each, no servers) and end-to-end tests (the bot over HTTP,
// bot processes, Azurite). `npm run test:unit` runs the first alone; `npm test` runs both.
// ts-jest only strips types (tsconfig sets isolatedModules); the type check is `npm run typecheck`.
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/** Test files that start the bot, a bot process or Azurite. */
const endToEnd = ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/state/**/*.test.ts', '<rootDir>/test/auth/authentication.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  // A loaded 2-core machine starts a bot in tens of seconds; readiness waits have their own ceilings.
  testTimeout: 120000,
  // Both cores: end-to-end files spend much of their time waiting on sockets and child processes.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/state/', '/test/auth/authentication\\.test\\.ts$'] },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test'], testMatch: endToEnd },
  ],
};
