export { startTestHost } from './start-test-host.js';
export type { TestHost, TestHostOptions } from './start-test-host.js';
