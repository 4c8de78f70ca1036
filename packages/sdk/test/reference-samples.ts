// Samples and targets for running the conformance kit against the reference connector.
import type { ConformanceObject, ConformanceOptions } from '../src/testing/index.js';
import type { ReferenceDefect } from './reference-connector.js';
import { createReferenceConnector, createReferenceStore, dropReferenceStore } from './reference-connector.js';

/** The n-th person: every attribute type, distinct userName, displayName and mail values. */
export function referenceSample(n: number): ConformanceObject {
  return {
    attributes: {
      userName: `user${String(n)}`,
      displayName: `User Number ${String(n)}`,
      age: 20 + n,
      active: n % 2 === 0,
      photo: Uint8Array.from([0, 255, n % 256, 10, 13]),
      manager: `CN=Manager ${String(n)},OU=People,DC=example,DC=com`,
      hiredAt: new Date(Date.UTC(2020, 0, 1 + n, 8, 30, 15, 250)).toISOString(),
      mail: [`user${String(n)}@example.com`, `u${String(n)}@example.org`],
      badges: [Uint8Array.from([n % 256]), Uint8Array.from([1, 2, 3, n % 256])],
      password: `Secret-${String(n)}-long`,
    },
  };
}

/** Conformance options for the reference connector or one defective variant. */
export function referenceOptions(defect?: ReferenceDefect): ConformanceOptions {
  return {
    name: defect ? `reference connector with defect ${defect}` : 'reference connector',
    connector: createReferenceConnector(defect),
    target: async () => {
      const store = createReferenceStore();
      return { values: { store }, cleanup: async () => dropReferenceStore(store) };
    },
    objectType: 'person',
    sample: referenceSample,
    singleValued: 'displayName',
    multiValued: 'mail',
    // No userName: the store requires it, as a database requires a NOT NULL column.
    invalid: () => ({ attributes: { displayName: 'Nobody' } }),
  };
}
