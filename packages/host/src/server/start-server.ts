import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import type { TlsMaterial } from '../tls/load-tls.js';
import { OpsError } from '../store/errors.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The application's fetch handler (`host.app.fetch`). */
  fetch: (request: Request) => Response | Promise<Response>;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Bind address; all interfaces when absent. */
  hostname?: string;
  /** Certificate material; absent only when the admin asked for plain HTTP. */
  tls?: TlsMaterial['serverOptions'];
}

/** A listening server. */
export interface RunningServer {
  readonly protocol: 'https' | 'http';
  readonly port: number;
  readonly server: ServerType;
  /** Stops accepting connections and resolves when open ones have ended (idle ones are closed). */
  close(): Promise<void>;
}

/**
 * Starts the node server for a Hono app: HTTPS with the given certificate (TLS 1.2 minimum),
 * plain HTTP only when no TLS material is given. Throws `OpsError('invalid-argument')` when the
 * port is taken or cannot be bound.
 */
export function startServer(options: StartServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const base = { fetch: options.fetch, port: options.port, ...(options.hostname === undefined ? {} : { hostname: options.hostname }) };
    const server = options.tls
      ? serve({ ...base, createServer: createHttpsServer, serverOptions: options.tls }, onListening)
      : serve(base, onListening);
    const protocol = options.tls ? 'https' : 'http';
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use (another ecmahost or service?)' : `cannot be opened: ${error.message}`;
      reject(new OpsError('invalid-argument', `port ${options.port} ${why}. Choose another with --port or ECMAHOST_PORT.`, { cause: error }));
    });
    function onListening(info: AddressInfo): void {
      resolve({
        protocol,
        port: info.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    }
  });
}
