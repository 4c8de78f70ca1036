import { describeConnectorConformance } from '../src/testing/index.js';
import { createReferenceConnector } from './reference-connector.js';
import { referenceOptions } from './reference-samples.js';

describeConnectorConformance(referenceOptions());

// The modes @ecmahost/host does not use, opted into as an author whose connector also serves hosts
// that export in batches, open sessions in a partition and honour deleteAddAsReplace.
describeConnectorConformance({
  ...referenceOptions(),
  name: 'reference connector, batches of 3 in a partition, deleteAddAsReplace',
  connector: createReferenceConnector(undefined, { dnStyle: 'ldap', partitions: true }),
  exportBatchSize: 3,
  partitions: true,
  deleteAddAsReplace: true,
  // This variant insists on a partition, which @ecmahost/host never sends.
  throughHost: false,
});
