export { scaffold } from './scaffold.js';
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js';
export { ScaffoldError, isScaffoldError } from './scaffold-error.js';
export type { ScaffoldErrorCode } from './scaffold-error.js';
export { CAPABILITIES, DEFAULT_CAPABILITIES, parseCapabilities } from './capabilities.js';
export type { Capability } from './capabilities.js';
export { TEMPLATES } from './template.js';
export type { TemplateName } from './template.js';
export { run } from './run.js';
