export { CONFORMANCE_CHECKS } from './options.js';
export type { ConformanceCheckId, ConformanceObject, ConformanceOptions, ConformanceTarget, ThroughHostOptions } from './options.js';
export { REFERENCE_CHECK_IDS } from './options.js';
export type { ConformanceReferences, ReferenceCheckId } from './options.js';
export { describeConnectorConformance } from './describe.js';
export { runConformanceCheck, assertConformanceOptions } from './run-check.js';
export type { ConformanceOutcome } from './run-check.js';
export { ConformanceError } from './harness.js';
export { sameValue, sameValues } from './compare.js';
