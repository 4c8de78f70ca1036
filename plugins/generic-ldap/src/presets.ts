import type { ParameterValue, ParameterValues } from '@ecmahost/sdk';

/** Directory types with a preset: `generic` (any LDAP v3 server) and `adlds` (AD LDS). */
export const DIRECTORY_TYPES = ['generic', 'adlds'] as const;

/** A directory type's defaults for Global page parameters, keyed by parameter name. */
export type PresetDefaults = Readonly<Record<string, string>>;

// What Microsoft's Generic LDAP connector picks for AD LDS (anchor objectGUID, USNChanged deltas),
// with AD's user class and password attribute. unicodePwd is written as an attribute: AD LDS has
// no Password Modify operation.
const ADLDS: PresetDefaults = {
  objectClasses: 'user',
  anchor: 'objectGUID',
  deltaMethod: 'usnChanged',
  passwordAttribute: 'unicodePwd',
  passwordMethod: 'attribute',
};

/**
 * The defaults the chosen directory type (Connectivity page, `directoryType`) gives Global page
 * parameters: offered as each parameter's default by a wizard, and used when a value is left out.
 */
export function presetDefaults(values: ParameterValues): PresetDefaults {
  return values.directoryType === 'adlds' ? ADLDS : {};
}

/** `values` with the preset's defaults filled in where a value is missing or empty. */
export function withPresetDefaults(values: ParameterValues): ParameterValues {
  const filled: Record<string, ParameterValue> = { ...values };
  for (const [name, value] of Object.entries(presetDefaults(values))) {
    const current = filled[name];
    if (current === undefined || current === '') filled[name] = value;
  }
  return filled;
}
