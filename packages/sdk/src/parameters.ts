import type { Secret } from './secret.js';

/**
 * The pages of configuration a host asks for, in order (ECMA2 `ConfigParameterPage`, plus the
 * `schema` pages later hosts show before schema discovery). `capabilities` is asked once, when an
 * instance is created; `partition` once per partition; `runStep` once per run profile.
 *
 * @remarks `@ecmahost/host` asks every page once per instance, in this order, each as a series
 * (page numbers 1, 2, ... until an empty list): `partition` is not asked per partition nor `runStep`
 * per run profile, and all values reach `open` in one flat set.
 */
export type ParameterPage = 'capabilities' | 'connectivity' | 'global' | 'partition' | 'runStep' | 'schema';

/** The pages in the order a host asks for them. */
export const PARAMETER_PAGES: readonly ParameterPage[] = ['capabilities', 'connectivity', 'schema', 'global', 'partition', 'runStep'];

interface ParameterBase {
  /** Unique across all pages of a connector; the key of the value in {@link ParameterValues}. */
  name: string;
  /** Label shown to the admin; defaults to `name`. */
  label?: string;
  /** One sentence of help shown beside the field. */
  description?: string;
}

interface ValidatedParameter extends ParameterBase {
  /** The value must be given (non-empty). */
  required?: boolean;
  /** An ECMAScript regular expression the whole value must match (ECMA2 `Validation`). */
  pattern?: string;
  /** Message shown when `pattern` does not match; defaults to one naming the pattern. */
  patternMessage?: string;
}

/** A one-line string with optional validation (ECMA2 `String`). */
export interface StringParameter extends ValidatedParameter {
  type: 'string';
  default?: string;
}
/** A secret string, stored encrypted and handed to the connector as a {@link Secret} (ECMA2 `EncryptedString`). */
export interface EncryptedStringParameter extends ValidatedParameter {
  type: 'encryptedString';
}
/** Multi-line text without validation, e.g. an SQL statement (ECMA2 `Text`). */
export interface TextParameter extends ParameterBase {
  type: 'text';
  default?: string;
  required?: boolean;
}
/** A boolean (ECMA2 `CheckBox`). */
export interface CheckboxParameter extends ParameterBase {
  type: 'checkbox';
  default?: boolean;
}
/** A choice among `options`; with `extensible` any other string is accepted too (ECMA2 `DropDown`). */
export interface DropdownParameter extends ParameterBase {
  type: 'dropdown';
  options: readonly string[];
  default?: string;
  extensible?: boolean;
}
/** A path to a file on the host (ECMA2 `File`). */
export interface FileParameter extends ParameterBase {
  type: 'file';
  default?: string;
  required?: boolean;
}
/** Read-only explanatory text; holds no value (ECMA2 `Label`). */
export interface LabelParameter extends ParameterBase {
  type: 'label';
  text: string;
}
/** A visual separator; holds no value (ECMA2 `Divider`). */
export interface DividerParameter extends ParameterBase {
  type: 'divider';
}

/** One field of a parameter page (ECMA2 `ConfigParameterDefinition`). */
export type ParameterDefinition =
  | StringParameter
  | EncryptedStringParameter
  | TextParameter
  | CheckboxParameter
  | DropdownParameter
  | FileParameter
  | LabelParameter
  | DividerParameter;

/** The parameter types; `label` and `divider` hold no value. */
export type ParameterType = ParameterDefinition['type'];

/** A configured value: strings, booleans for checkboxes, {@link Secret} for encrypted strings. */
export type ParameterValue = string | boolean | Secret;

/** Every configured value of a connector instance, across pages, by parameter name. */
export type ParameterValues = Readonly<Record<string, ParameterValue>>;

/**
 * What a host asks for when it shows a page: the page, its number within the section (pages such as
 * `schema` may come as a series: 1, 2, 3... until the connector returns an empty list for a page
 * after the first), and the values given so far on earlier pages.
 */
export interface ParameterRequest {
  page: ParameterPage;
  pageNumber: number;
  values: ParameterValues;
}

/** One validation failure, shown next to the parameter (ECMA2 `ParameterValidationResult`). */
export interface ParameterIssue {
  /** The parameter at fault; absent for a problem with the page as a whole. */
  parameter?: string;
  message: string;
}

/** Whether a parameter type holds a value. */
export function holdsValue(definition: ParameterDefinition): boolean {
  return definition.type !== 'label' && definition.type !== 'divider';
}
