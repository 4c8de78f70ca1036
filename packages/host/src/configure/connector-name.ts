import { OpsError } from '../store/errors.js';

/**
 * What a connector name may be: the URL segment after `ecma2host_` (case-sensitive), and the
 * file name of its configuration. 64 characters keep URLs and file names readable.
 */
export const CONNECTOR_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Why `name` is not a valid connector name, or `undefined` when it is. */
export function connectorNameProblem(name: string): string | undefined {
  return CONNECTOR_NAME_PATTERN.test(name) ? undefined : `"${name}" is not a valid connector name: use 1 to 64 letters, digits, "_" or "-" (it becomes the URL segment ecma2host_${name}).`;
}

/** Throws `OpsError('invalid-name')` unless `name` is a valid connector name. */
export function assertConnectorName(name: string): void {
  const problem = connectorNameProblem(name);
  if (problem !== undefined) throw new OpsError('invalid-name', problem);
}
