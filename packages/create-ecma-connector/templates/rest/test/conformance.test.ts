import { secret } from '@ecmahost/sdk';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import connector from '../src/index.js';
import { startFakeApi } from './fake-api.js';

describeConnectorConformance({
  name: '{{displayName}}',
  connector,
  // Each check gets its own fake API, empty, on a free loopback port: no network needed.
  target: async () => {
    const api = await startFakeApi('test-api-key');
    return { values: { BaseUrl: api.url, ApiKey: secret('test-api-key') }, cleanup: () => api.close() };
  },
  objectType: 'user',
  sample: (n) => ({ attributes: { userName: `user${String(n)}`, displayName: `User ${String(n)}`, emails: [`u${String(n)}@example.com`], active: true } }),
  singleValued: 'displayName',
  multiValued: 'emails',
  // The fake API, like a real one, answers 400 for an active flag that is not a boolean.
  invalid: () => ({ attributes: { userName: 'bad', active: 'not a boolean' } }),
});
