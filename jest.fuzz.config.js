// `npm run test:fuzz`: the OpenAPI contract fuzzing (test/*.fuzz-spec.ts), kept out of
// `npm test`'s projects because it runs for minutes. Same database setup as the suite.
import base from './jest.config.js';

const e2e = base.projects.find((project) => project.displayName === 'e2e');

export default {
  testTimeout: 900_000,
  reporters: base.reporters,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  projects: [{ ...e2e, displayName: 'fuzz', testMatch: ['<rootDir>/test/**/*.fuzz-spec.ts'] }],
};
