export { genericLdap as default, genericLdap } from './connector.js';
export { escapeFilterValue, escapeDnValue, equalityFilter, parseDn, formatDn, dnKey } from './escape.js';
export type { Ava, ParsedDn } from './escape.js';
export { renderDnTemplate } from './dn-template.js';
export { parseObjectClass, parseAttributeType } from './schema-parser.js';
export type { ObjectClassDescription, AttributeTypeDescription } from './schema-parser.js';
export { sshaHash } from './ssha.js';
