import { describeConnectorConformance } from '../src/testing/index.js';
import { referenceOptions } from './reference-samples.js';

describeConnectorConformance(referenceOptions());
