import { describe, expect, it } from 'vitest';
import { referenceOptions } from '../../test/reference-samples.js';
import { describeConnectorConformance } from './describe.js';

describe('describeConnectorConformance', () => {
  it('throws before declaring anything when a skip has no reason', () => {
    expect(() => describeConnectorConformance({ ...referenceOptions(), skip: { password: '' } })).toThrow(
      'conformance: skip["password"] needs a reason: say why the check does not apply',
    );
  });
});
