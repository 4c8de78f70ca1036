import type { ObjectTypeDefinition, Schema } from '@ecmahost/sdk';
import type { DeleteFlow, DisableFlow, SelectedAttribute } from '../config/connector-config.js';
import type { RunProfileAnswers } from '../configure/build-config.js';
import { DEFAULT_PAGE_SIZE } from '../configure/defaults.js';
import type { GivenSchemaChoices, SchemaAnswers } from '../configure/schema-choices.js';
import {
  SCIM_MAPPING_TARGETS,
  applySchemaChoices,
  checkSchemaAnswers,
  disableFlowAttributes,
  objectTypeOf,
  proposeScimMapping,
  servedNames,
  singleValuedAttributes,
} from '../configure/schema-choices.js';
import { OpsError } from '../store/errors.js';
import type { Prompter } from './prompter.js';

/** The flags `connector add` and `connector set` share (commander's parsed options). */
export interface ConnectorFlags {
  package?: string;
  param?: string[];
  objectType?: string;
  anchor?: string;
  attributes?: string;
  dnAttribute?: string;
  dnAutogenerate?: boolean;
  disableFlow?: string;
  deleteFlow?: string;
  autosync?: string;
  fullImportHours?: string;
  token?: string;
  scim?: string[];
  importPageSize?: string;
  deltaImportPageSize?: string;
  deltaImport?: boolean;
  /** The `--group-*` family: an object type also served as SCIM Groups, with its own choices. */
  groupObjectType?: string;
  groupAnchor?: string;
  groupAttributes?: string;
  groupDnAttribute?: string;
  groupScim?: string[];
  groupDeleteFlow?: string;
}

function bad(message: string): never {
  throw new OpsError('invalid-argument', message);
}

/** Parses repeated `Name=value` flags; the value may contain `=`. */
export function parsePairs(pairs: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) bad(`${flag} expects Name=value, got "${pair}".`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Parses a whole number flag. */
export function parseCount(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) bad(`${flag} expects a whole number >= ${min}, got "${value}".`);
  return Number(value);
}

/** Parses `--disable-flow none | delete | attribute:<Name>[:inverted]`. */
export function parseDisableFlow(value: string): DisableFlow {
  if (value === 'none' || value === 'delete') return { action: value };
  const match = /^attribute:([^:]+)(:inverted)?$/.exec(value);
  if (!match?.[1]) bad(`--disable-flow expects none, delete or attribute:<Attribute>[:inverted], got "${value}".`);
  return match[2] ? { action: 'attribute', attribute: match[1], activeValue: false } : { action: 'attribute', attribute: match[1] };
}

/** Parses `--delete-flow none | delete | attribute:<Name>=<value>` (Microsoft's "set attribute value"). */
export function parseDeleteFlow(value: string, flag = '--delete-flow'): DeleteFlow {
  const match = /^attribute:([^=]+)=(.*)$/.exec(value);
  if (match?.[1] !== undefined && match[2] !== undefined) return { action: 'attribute', attribute: match[1], value: match[2] };
  if (value !== 'none' && value !== 'delete') bad(`${flag} expects none, delete or attribute:<Attribute>=<value>, got "${value}".`);
  return { action: value };
}

/** Parses `--attributes a,b:single,c` (`:single` = treat as single value). */
export function parseAttributes(value: string): SelectedAttribute[] {
  return listOf(value).map((s) => (s.endsWith(':single') ? { name: s.slice(0, -':single'.length), singleValue: true } : { name: s }));
}

function listOf(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function describeAttribute(type: ObjectTypeDefinition, name: string): string {
  const def = type.attributes.find((a) => a.name === name);
  return def === undefined ? '' : `${def.type}${def.multiValued ? ', multi-valued' : ''}`;
}

const NOT_MAPPED = '';

/**
 * Asks the schema choices a flag left out, in the order of Microsoft's wizard: anchor(s),
 * attributes (preselected: not hidden, not binary), treat as single value, DN source, the SCIM
 * mapping (each target with its proposal), then the disable and delete flows.
 */
async function askSchema(prompter: Prompter, type: ObjectTypeDefinition, answers: SchemaAnswers, flags: ConnectorFlags): Promise<SchemaAnswers> {
  const next = { ...answers };
  if (flags.anchor === undefined) {
    const candidates = singleValuedAttributes(type);
    next.anchor = await prompter.multiselect('Anchor attribute(s)', candidates.map((a) => ({ value: a.name, label: a.name, hint: a.type })), next.anchor);
  }
  if (flags.attributes === undefined) {
    const chosen = await prompter.multiselect(
      'Attributes to serve',
      type.attributes.map((a) => ({ value: a.name, label: a.name, hint: describeAttribute(type, a.name) })),
      servedNames(next.anchor, next.attributes),
    );
    const multi = chosen.filter((name) => type.attributes.find((a) => a.name === name)?.multiValued === true);
    const singleBefore = multi.filter((name) => next.attributes.some((a) => a.name === name && a.singleValue === true));
    const single = multi.length === 0 ? [] : await prompter.multiselect('Treat as single value (SCIM sees one value)', multi.map((name) => ({ value: name, label: name })), singleBefore, false);
    next.attributes = chosen.map((name) => (single.includes(name) ? { name, singleValue: true } : { name }));
  }
  const served = servedNames(next.anchor, next.attributes);
  if (flags.dnAttribute === undefined && flags.dnAutogenerate === undefined) {
    const candidates = singleValuedAttributes(type).filter((a) => served.includes(a.name));
    const dn = await prompter.select<string>(
      'DN source',
      [{ value: NOT_MAPPED, label: 'Autogenerated (CN=<anchor>,OBJECT=<type>)' }, ...candidates.map((a) => ({ value: a.name, label: `Attribute ${a.name}` }))],
      'attribute' in next.dn ? next.dn.attribute : NOT_MAPPED,
    );
    next.dn = dn === NOT_MAPPED ? { autogenerate: true } : { attribute: dn };
  }
  if (flags.scim === undefined) {
    const proposal = { ...proposeScimMapping(type, next.anchor, next.attributes), ...answers.scimMapping };
    const mapping: Record<string, string> = {};
    for (const target of SCIM_MAPPING_TARGETS) {
      const choice = await prompter.select<string>(
        `SCIM ${target.label} maps to`,
        [{ value: NOT_MAPPED, label: '(not mapped)' }, ...served.map((name) => ({ value: name, label: name, hint: describeAttribute(type, name) }))],
        proposal[target.path] ?? NOT_MAPPED,
      );
      if (choice !== NOT_MAPPED) mapping[target.path] = choice;
    }
    next.scimMapping = mapping;
  }
  const disable = next.deprovisioning.disable;
  if (flags.disableFlow === undefined) {
    const choice = await prompter.select<string>(
      'Disable flow (when Entra sets active=false)',
      [
        { value: 'none', label: 'None' },
        { value: 'delete', label: 'Delete' },
        ...disableFlowAttributes(type).map((a) => ({ value: `attribute:${a.name}`, label: `Set attribute value: ${a.name}` })),
      ],
      disable.action === 'attribute' ? `attribute:${disable.attribute}` : disable.action,
    );
    let flow = parseDisableFlow(choice);
    if (flow.action === 'attribute' && (await prompter.confirm(`Does ${flow.attribute} hold true for a disabled user (an "AccountDisabled" flag)?`, disable.action === 'attribute' && disable.activeValue === false))) {
      flow = { ...flow, activeValue: false };
    }
    next.deprovisioning = { ...next.deprovisioning, disable: flow };
  }
  if (flags.deleteFlow === undefined) {
    const current = next.deprovisioning.delete;
    const del = await prompter.select<string>(
      'Delete flow (when Entra deletes the user)',
      [
        { value: 'delete', label: 'Delete' },
        { value: 'none', label: 'None' },
        ...disableFlowAttributes(type)
          .filter((a) => served.includes(a.name))
          .map((a) => ({ value: `attribute:${a.name}`, label: `Set attribute value: ${a.name}` })),
      ],
      current.action === 'attribute' ? `attribute:${current.attribute}` : current.action,
    );
    const flow: DeleteFlow = del.startsWith('attribute:')
      ? { action: 'attribute', attribute: del.slice('attribute:'.length), value: await prompter.text(`Value ${del.slice('attribute:'.length)} is set to`, { initial: current.action === 'attribute' ? current.value : 'true' }) }
      : parseDeleteFlow(del);
    next.deprovisioning = { ...next.deprovisioning, delete: flow };
  }
  return next;
}

/**
 * The object type also served as SCIM Groups (the `--group-*` flags, Microsoft's Object Types page
 * for a second type): its choices from those flags over the defaults for a group type (anchor,
 * attributes, `displayName` and `members` mapped as proposed). On a TTY without
 * `--group-object-type`, the admin picks the type, or none. Undefined when no type is served as Groups.
 */
export async function chooseGroupSchema(schema: Schema, flags: ConnectorFlags, prompter: Prompter | undefined, usersType: string): Promise<SchemaAnswers | undefined> {
  let typeName = flags.groupObjectType;
  const others = schema.objectTypes.filter((t) => t.name !== usersType);
  if (typeName === undefined && prompter !== undefined && others.length > 0) {
    const choice = await prompter.select<string>('Object type also served as SCIM Groups', [{ value: NOT_MAPPED, label: '(none)' }, ...others.map((t) => ({ value: t.name, label: t.name }))], NOT_MAPPED);
    if (choice !== NOT_MAPPED) typeName = choice;
  }
  if (typeName === undefined) return undefined;
  if (typeName === usersType) bad(`--group-object-type: ${typeName} is already served as SCIM Users.`);
  const type = objectTypeOf(schema, typeName);
  if (!type) bad(`--group-object-type: discovery found no object type ${typeName} (found: ${schema.objectTypes.map((t) => t.name).join(', ')}).`);
  const given: GivenSchemaChoices = { resourceType: 'Group' };
  if (flags.groupAnchor !== undefined) given.anchor = listOf(flags.groupAnchor);
  if (flags.groupAttributes !== undefined) given.attributes = parseAttributes(flags.groupAttributes);
  if (flags.groupDnAttribute !== undefined) given.dn = { attribute: flags.groupDnAttribute };
  if (flags.groupDeleteFlow !== undefined) given.delete = parseDeleteFlow(flags.groupDeleteFlow, '--group-delete-flow');
  if (flags.groupScim !== undefined) given.scimMapping = parsePairs(flags.groupScim, '--group-scim');
  const answers = applySchemaChoices(type, given);
  const issues = checkSchemaAnswers(schema, answers);
  if (issues.length > 0) bad(`the group choices do not fit ${type.name}:\n${issues.map((i) => `  - ${i.field}: ${i.message}`).join('\n')}`);
  return answers;
}

/**
 * The CLI adapter of the schema choices (`configure/schema-choices.ts` holds the defaults and
 * rules): flags over `current` (an existing configuration, `connector set`) or the defaults for the
 * type (its anchor, the preselection, the proposed SCIM mapping, the default flows); then, with a
 * prompter, every choice no flag gave is asked with those as the initial answers. Everything is
 * checked against the discovered schema; `OpsError('invalid-argument')` lists every problem.
 */
export async function chooseSchema(schema: Schema, flags: ConnectorFlags, prompter: Prompter | undefined, current?: SchemaAnswers): Promise<SchemaAnswers> {
  const types = schema.objectTypes;
  if (types.length === 0) bad('schema discovery found no object types.');
  let typeName = flags.objectType ?? current?.objectType;
  if (typeName === undefined) {
    if (types.length === 1) typeName = types[0]?.name;
    else if (prompter) typeName = await prompter.select('Object type served as SCIM Users', types.map((t) => ({ value: t.name, label: t.name })));
    else bad(`--object-type is required: discovery found ${types.map((t) => t.name).join(', ')}.`);
  }
  const type = objectTypeOf(schema, typeName ?? '');
  if (!type) bad(`--object-type: discovery found no object type ${String(typeName)} (found: ${types.map((t) => t.name).join(', ')}).`);
  const given: GivenSchemaChoices = {};
  if (flags.anchor !== undefined) given.anchor = listOf(flags.anchor);
  if (flags.attributes !== undefined) given.attributes = parseAttributes(flags.attributes);
  if (flags.dnAttribute !== undefined) given.dn = { attribute: flags.dnAttribute };
  else if (flags.dnAutogenerate === true) given.dn = { autogenerate: true };
  if (flags.disableFlow !== undefined) given.disable = parseDisableFlow(flags.disableFlow);
  if (flags.deleteFlow !== undefined) given.delete = parseDeleteFlow(flags.deleteFlow);
  if (flags.scim !== undefined) given.scimMapping = parsePairs(flags.scim, '--scim');
  let answers = applySchemaChoices(type, given, current);
  if (prompter && current === undefined) answers = await askSchema(prompter, type, answers, flags);
  const issues = checkSchemaAnswers(schema, answers);
  if (issues.length > 0) bad(`the schema choices do not fit ${type.name}:\n${issues.map((i) => `  - ${i.field}: ${i.message}`).join('\n')}`);
  return answers;
}

/** Run profile answers from flags over `current` (or the defaults). */
export function runProfilesFrom(flags: ConnectorFlags, current: RunProfileAnswers = { fullPageSize: DEFAULT_PAGE_SIZE, deltaPageSize: DEFAULT_PAGE_SIZE }): RunProfileAnswers {
  const answers: RunProfileAnswers = { fullPageSize: parseCount(flags.importPageSize, '--import-page-size', 1) ?? current.fullPageSize };
  const fullImportHours = parseCount(flags.fullImportHours, '--full-import-hours') ?? current.fullImportHours;
  if (fullImportHours !== undefined) answers.fullImportHours = fullImportHours;
  const delta = parseCount(flags.deltaImportPageSize, '--delta-import-page-size', 1) ?? current.deltaPageSize ?? DEFAULT_PAGE_SIZE;
  if (flags.deltaImport !== false) answers.deltaPageSize = delta;
  return answers;
}
