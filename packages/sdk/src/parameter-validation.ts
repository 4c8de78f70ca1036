import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ParameterDefinition, ParameterIssue, ParameterValues } from './parameters.js';
import { holdsValue } from './parameters.js';
import { isSecret, secret } from './secret.js';

/** A JSON Schema object, as produced by {@link parametersJsonSchema}. */
export type JsonSchema = Record<string, unknown>;

/**
 * Derives the JSON Schema of one page's values from its definitions. Hosts, the CLI and web forms
 * validate against it, so the rules live in one place. Encrypted strings are validated as the clear
 * text the admin typed.
 */
export function parametersJsonSchema(definitions: readonly ParameterDefinition[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const def of definitions) {
    if (!holdsValue(def)) continue;
    const prop: JsonSchema = { title: def.label ?? def.name };
    if (def.description !== undefined) prop.description = def.description;
    switch (def.type) {
      case 'checkbox':
        prop.type = 'boolean';
        if (def.default !== undefined) prop.default = def.default;
        break;
      case 'dropdown':
        prop.type = 'string';
        if (!def.extensible) prop.enum = [...def.options];
        if (def.default !== undefined) prop.default = def.default;
        break;
      case 'string':
      case 'encryptedString':
        prop.type = 'string';
        // JSON Schema patterns match anywhere in the value (ECMA-262 `test`); the contract promises
        // a match of the whole value, as ECMA2's validation does.
        if (def.pattern !== undefined) prop.pattern = `^(?:${def.pattern})$`;
        if (def.type === 'string' && def.default !== undefined) prop.default = def.default;
        if (def.required) prop.minLength = 1;
        if (def.type === 'encryptedString') prop.writeOnly = true;
        break;
      case 'text':
      case 'file':
        prop.type = 'string';
        if (def.default !== undefined) prop.default = def.default;
        if (def.required) prop.minLength = 1;
        break;
      case 'label':
      case 'divider':
        break;
    }
    properties[def.name] = prop;
    if ('required' in def && def.required) required.push(def.name);
  }
  return { type: 'object', properties, required, additionalProperties: true };
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
// Ajv keeps every schema object it compiled for its lifetime; a host validates the same pages over
// and over with fresh schema objects, so validators are cached by the schema's text instead.
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

function issueFromAjv(error: ErrorObject, definitions: readonly ParameterDefinition[]): ParameterIssue {
  const name =
    error.keyword === 'required'
      ? String((error.params as { missingProperty: string }).missingProperty)
      : error.instancePath.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
  const def = definitions.find((d) => d.name === name);
  const label = def?.label ?? name;
  switch (error.keyword) {
    case 'required':
    case 'minLength':
      return { parameter: name, message: `${label} is required.` };
    case 'pattern':
      return {
        parameter: name,
        message:
          def && 'patternMessage' in def && def.patternMessage !== undefined
            ? def.patternMessage
            : `${label} must match ${def && 'pattern' in def && def.pattern !== undefined ? def.pattern : (error.params as { pattern: string }).pattern}.`,
      };
    case 'enum':
      return {
        parameter: name,
        message: `${label} must be one of: ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}.`,
      };
    case 'type':
      return { parameter: name, message: `${label} must be a ${(error.params as { type: string }).type}.` };
    default:
      return { parameter: name, message: `${label}: ${error.message ?? 'invalid value'}.` };
  }
}

/** Clear text of every value, so secrets can be checked against their patterns. */
function plain(values: ParameterValues | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = isSecret(v) ? v.reveal() : v;
  return out;
}

/**
 * Checks one page's values against the rules in its definitions (required, pattern, dropdown
 * options, types) through the page's JSON Schema. Returns one issue per failing parameter; the
 * connector's own `validate` runs after this passes.
 */
export function checkParameterValues(
  definitions: readonly ParameterDefinition[],
  values: ParameterValues | Record<string, unknown>,
): ParameterIssue[] {
  const validate = validatorFor(parametersJsonSchema(definitions));
  const data = plain(values);
  // An empty optional string is "not given": drop it so a pattern does not reject a blank field.
  for (const def of definitions) {
    if (data[def.name] === '' && !('required' in def && def.required)) delete data[def.name];
  }
  if (validate(data)) return [];
  const seen = new Set<string>();
  const issues: ParameterIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = issueFromAjv(error, definitions);
    const key = issue.parameter ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * Turns raw values of one page (as typed by an admin, read from a form or a file) into
 * {@link ParameterValues}: defaults filled in, checkbox strings (`"true"`, `"False"`) made booleans,
 * encrypted strings wrapped as secrets. Unknown names are dropped.
 */
export function normalizeParameterValues(
  definitions: readonly ParameterDefinition[],
  raw: Readonly<Record<string, unknown>>,
): Record<string, string | boolean | ReturnType<typeof secret>> {
  const out: Record<string, string | boolean | ReturnType<typeof secret>> = {};
  for (const def of definitions) {
    if (!holdsValue(def)) continue;
    const value = raw[def.name];
    switch (def.type) {
      case 'checkbox': {
        if (typeof value === 'boolean') out[def.name] = value;
        else if (typeof value === 'string' && /^(true|false)$/i.test(value)) out[def.name] = value.toLowerCase() === 'true';
        else if (def.default !== undefined) out[def.name] = def.default;
        break;
      }
      case 'encryptedString':
        if (isSecret(value)) out[def.name] = value;
        else if (typeof value === 'string') out[def.name] = secret(value);
        break;
      default: {
        if (typeof value === 'string') out[def.name] = value;
        else if ('default' in def && def.default !== undefined) out[def.name] = def.default;
      }
    }
  }
  return out;
}
