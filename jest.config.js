// Nest 12 ships as pure ES modules, which Jest on Node 20 loads only in its
// native ESM mode (`node --experimental-vm-modules`, see package.json).
// Unit specs sit beside the code; e2e specs in test/ start the built app
// (dist/main.js) as a real process and talk HTTP to it.
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
};

export default {
  // e2e files start real processes (the app, fakes, databases): a generous
  // bound against hangs, never a performance assertion.
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/reporters/closing-line.cjs'],
  globalSetup: './test/setup/global-setup.cjs',
  globalTeardown: './test/setup/global-teardown.cjs',
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.e2e-spec\\.ts$'],
    },
    // Specs in a real Chromium: a project of their own so that its global setup, which obtains Chromium,
    // runs only when one of them is in the run (Jest runs a project's globalSetup only then).
    {
      ...common,
      displayName: 'browser',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.browser.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/browser-setup.cjs',
    },
  ],
};
