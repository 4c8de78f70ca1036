import { describe, expect, it } from 'vitest';
import { ConnectorError, isConnectorError } from './errors.js';

describe('ConnectorError', () => {
  it('carries a code, the parameter and the cause', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:5432');
    const error = new ConnectorError('connection-failed', 'PostgreSQL refused the connection', { cause, parameter: 'host' });
    expect(error).toMatchObject({ name: 'ConnectorError', code: 'connection-failed', parameter: 'host', message: 'PostgreSQL refused the connection' });
    expect(error.cause).toBe(cause);
    expect(new ConnectorError('internal', 'x')).not.toHaveProperty('cause');
  });

  it('is recognised by brand, also from another copy of the SDK', () => {
    expect(isConnectorError(new ConnectorError('internal', 'x'))).toBe(true);
    expect(isConnectorError(Object.assign(new Error('x'), { [Symbol.for('ecmahost.connector-error')]: true, code: 'internal' }))).toBe(true);
    expect(isConnectorError(Object.assign(new Error('x'), { code: 'internal' }))).toBe(false);
    expect(isConnectorError('internal')).toBe(false);
  });
});
