import net from 'node:net';
import { isConnectorError, secret, silentLogger } from '@ecmahost/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';

const context = { log: silentLogger, signal: new AbortController().signal };

// A server that accepts connections and never says a word: what a hung LDAP server or a
// misrouted port looks like. No slapd needed.
describe('connect and operation timeouts against a silent server', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let port = 0;
  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const values = (overrides: Record<string, string>) => ({
    host: '127.0.0.1',
    port: String(port),
    bindDn: 'cn=admin,dc=example,dc=com',
    bindPassword: secret('x'),
    connectTimeout: '1',
    operationTimeout: '1',
    ...overrides,
  });

  async function failure(overrides: Record<string, string>) {
    const instance = await connector.open(values(overrides), context);
    try {
      await instance.testConnection();
    } catch (error) {
      return error;
    } finally {
      await instance.close();
    }
    throw new Error('testConnection succeeded');
  }

  it('gives up on a StartTLS request that is never answered after the operation timeout', async () => {
    const error = await failure({ security: 'StartTLS' });
    expect(isConnectorError(error) && error.code).toBe('connection-failed');
    expect((error as Error).message).toMatch(/did not answer within 1 s/);
  });

  it('gives up on a TLS handshake that never completes after the connect timeout', async () => {
    const error = await failure({ security: 'LDAPS' });
    expect(isConnectorError(error) && error.code).toBe('connection-failed');
    expect((error as Error).message).toMatch(/no connection to ldaps:\/\/127.0.0.1:\d+ within 1 s/);
  });

  it('gives up on a TLS handshake that stalls after StartTLS was accepted', async () => {
    // Answers the StartTLS extended request with success (RFC 4511 §4.14), then goes silent.
    const stalling = net.createServer((socket) => {
      sockets.add(socket);
      socket.once('data', (request) => {
        const messageId = request[4] ?? 1;
        socket.write(Buffer.from([0x30, 0x0c, 0x02, 0x01, messageId, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]));
      });
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const error = await failure({ security: 'StartTLS', port: String((stalling.address() as net.AddressInfo).port) });
      expect(isConnectorError(error) && error.code).toBe('connection-failed');
      expect((error as Error).message).toMatch(/no TLS session and bind with ldap:\/\/127.0.0.1:\d+ \(timed out after 2 s\)/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('reports exports to a hung server as retryable per entry', async () => {
    const instance = await connector.open(values({ security: 'None', allowUnencrypted: 'true', dnTemplate: 'uid={uid},dc=example,dc=com' }), context);
    try {
      const session = await instance.openExport!({ schema: { objectTypes: [{ name: 'person', anchors: ['-dn-'], attributes: [] }] }, batchSize: 1 });
      const [result] = await session.putEntries([{ identifier: 'a', objectType: 'person', modification: 'delete', dn: 'uid=a,dc=example,dc=com', anchor: { '-dn-': 'uid=a,dc=example,dc=com' }, attributeChanges: [] }]);
      await session.close('normal');
      expect(result?.error).toMatchObject({ code: 'connected-directory-error', retryable: true });
      expect(result?.error?.message).toMatch(/did not answer within 1 s/);
    } finally {
      await instance.close();
    }
  });
});
