/** One jest run covers unit, integration (built bundle in the local runtime) and e2e (Chromium). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The multi-day run at the scale takes minutes of wall time: `npm run test:scale` (and .ci/run)
  // runs it; `npm test` stays under five minutes on two cores.
  testPathIgnorePatterns: process.env.Y2S_SCALE ? ['/node_modules/'] : ['/node_modules/', '/test/integration/app/scale\\.test\\.ts$'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ESM-only packages that jest must transform to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(preact|htm|croner)/)'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
