// The kit on the reference connector's second object type: groups with multi-valued references.
import { describeConnectorConformance } from '../src/testing/index.js';
import { referenceOptions } from './reference-samples.js';

describeConnectorConformance({
  ...referenceOptions(),
  name: 'reference connector, groups',
  objectType: 'group',
  sample: (n) => ({
    attributes: {
      displayName: `Group ${String(n)}`,
      member: [`CN=User ${String(n)},OU=People,DC=example,DC=com`, `CN=Admin ${String(n)},OU=People,DC=example,DC=com`],
    },
  }),
  singleValued: 'displayName',
  multiValued: 'member',
  // A number is not a reference: the store rejects it as a database rejects text in an integer column.
  invalid: () => ({ attributes: { displayName: 'Broken', member: [42] } }),
  // Entra's user sequence needs a user type; groups are not provisioned through the host.
  throughHost: false,
  skip: { 'existing-object': 'groups have no unique attribute besides the generated id, so a second add is a second group' },
});
