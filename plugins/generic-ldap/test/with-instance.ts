import type { ConnectorInstance, ParameterValues } from '@ecmahost/sdk';
import { silentLogger } from '@ecmahost/sdk';
import connector from '../src/index.js';

// Not in ldap-target.ts: the host's end-to-end tests import that file, which must not pull in the connector's source.

/** Opens the connector with `values`, runs `fn` with the instance, and closes it. */
export async function withInstance<T>(values: ParameterValues, fn: (instance: ConnectorInstance) => Promise<T>): Promise<T> {
  const instance = await connector.open(values, { log: silentLogger, signal: new AbortController().signal });
  try {
    return await fn(instance);
  } finally {
    await instance.close();
  }
}
