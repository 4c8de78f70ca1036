import { ConnectorError } from './errors.js';
import type { ParameterValues } from './parameters.js';
import type { Secret } from './secret.js';
import { isSecret } from './secret.js';

/** Typed access to configured values, for use inside `open`. */
export interface ParameterReader {
  /** A string value; `fallback` when absent or empty; throws `invalid-configuration` when required and absent. */
  string(name: string, fallback?: string): string;
  /** A string value or `undefined` when absent or empty. */
  optionalString(name: string): string | undefined;
  /** A checkbox value; `fallback` (default `false`) when absent. */
  boolean(name: string, fallback?: boolean): boolean;
  /** A whole number written as a string; throws `invalid-configuration` when not one. */
  integer(name: string, fallback?: number): number;
  /** A secret value, or `undefined` when absent. */
  secret(name: string): Secret | undefined;
}

/** Reads configured values with types and clear errors naming the parameter. */
export function readParameters(values: ParameterValues): ParameterReader {
  const optionalString = (name: string): string | undefined => {
    const v = values[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new ConnectorError('invalid-configuration', `${name} must be text`, { parameter: name });
    return v;
  };
  return {
    optionalString,
    string(name, fallback) {
      const v = optionalString(name);
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      throw new ConnectorError('invalid-configuration', `${name} is required`, { parameter: name });
    },
    boolean(name, fallback = false) {
      const v = values[name];
      if (v === undefined || v === '') return fallback;
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      throw new ConnectorError('invalid-configuration', `${name} must be true or false`, { parameter: name });
    },
    integer(name, fallback) {
      const v = optionalString(name);
      if (v === undefined) {
        if (fallback !== undefined) return fallback;
        throw new ConnectorError('invalid-configuration', `${name} is required`, { parameter: name });
      }
      const n = Number(v.trim());
      if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) {
        throw new ConnectorError('invalid-configuration', `${name} must be a whole number, not "${v}"`, { parameter: name });
      }
      return n;
    },
    secret(name) {
      const v = values[name];
      if (v === undefined) return undefined;
      if (!isSecret(v)) throw new ConnectorError('invalid-configuration', `${name} must be an encrypted string`, { parameter: name });
      return v;
    },
  };
}
