export { default } from './connector.js';
export { P as PARAMETER_NAMES, ALL_PARAMETERS } from './parameters.js';
export { verifyScrypt } from './password-hash.js';
