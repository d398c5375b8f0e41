module.exports = {
  ...require('../../jest.base.js'),
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // NATS and pg clients of a test that failed half-way must not keep CI waiting: the tests stop
  // what they start, and this is the backstop when an assertion fails before a stop.
  forceExit: true,
};
