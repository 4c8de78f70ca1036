import { createServer as createHttpsServer } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { scimJson } from '../middleware/scim-response.js';
import { ScimError } from '../scim/errors.js';
import type { TlsMaterial } from '../tls/load-tls.js';
import { OpsError } from '../store/errors.js';
import { InFlight } from './in-flight.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The application's fetch handler (`host.app.fetch`). */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Bind address; all interfaces when absent. */
  hostname?: string;
  /** Certificate material; absent only when the admin asked for plain HTTP. */
  tls?: TlsMaterial['serverOptions'];
}

/** What {@link RunningServer.shutdown} reports. */
export interface ShutdownReport {
  /** Requests still running at the deadline, answered 503. */
  cut: number;
}

/** A listening server. */
export interface RunningServer {
  readonly protocol: 'https' | 'http';
  readonly port: number;
  readonly server: ServerType;
  /** Stops accepting connections and resolves when open ones have ended (idle ones are closed). */
  close(): Promise<void>;
  /**
   * Stops accepting connections, closes idle keep-alive connections at once and lets running
   * requests finish (their connections close after the answer). Requests still running at
   * `deadline` (epoch ms) are answered 503 with `Retry-After`, then every connection is closed.
   */
  shutdown(deadline: number): Promise<ShutdownReport>;
  /** Serves a new certificate to new TLS connections; open connections keep theirs. */
  setCertificate(tls: SecureContextOptions): void;
}

/** Seconds a client is told to wait after a request cut by a shutdown: a service manager restarts the host within that. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 30;
/** How long the 503s written at the deadline get to reach their clients before the connections are destroyed. */
const CUT_FLUSH_MS = 1000;

/**
 * Starts the node server for a Hono app: HTTPS with the given certificate (TLS 1.2 minimum),
 * plain HTTP only when no TLS material is given. Throws `OpsError('invalid-argument')` when the
 * port is taken or cannot be bound.
 */
export function startServer(options: StartServerOptions): Promise<RunningServer> {
  // Each running request can be answered 503 by a shutdown that reached its deadline.
  const cutters = new InFlight<() => void>();
  const fetch = (request: Request, env?: unknown): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const cut = (): void => resolve(scimJson(new ScimError(503, undefined, 'The host is shutting down; retry shortly.').toJSON(), 503, { 'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS) }));
      const uncut = cutters.add(cut);
      // Every request passes here: no promise is added to the handler's own but this one.
      const settle = <T>(finish: (value: T) => void, value: T): void => {
        uncut();
        finish(value);
      };
      let answer: Response | Promise<Response>;
      try {
        answer = options.fetch(request, env);
      } catch (error) {
        settle(reject, error);
        return;
      }
      // A plain Response or any thenable: Promise.resolve hands a native promise back as it is.
      Promise.resolve(answer).then((response) => settle(resolve, response), (error: unknown) => settle(reject, error));
    });
  return new Promise((resolve, reject) => {
    const base = { fetch, port: options.port, ...(options.hostname === undefined ? {} : { hostname: options.hostname }) };
    const server = options.tls
      ? serve({ ...base, createServer: createHttpsServer, serverOptions: options.tls }, onListening)
      : serve(base, onListening);
    const protocol = options.tls ? 'https' : 'http';
    const sockets = new InFlight<Socket>();
    const answering = new InFlight<ServerResponse>();
    let stopping = false;
    server.on('connection', (socket: Socket) => {
      socket.once('close', sockets.add(socket));
    });
    server.on('request', (_request, response: ServerResponse) => {
      const answered = answering.add(response);
      // During a shutdown every answer closes its connection, so no keep-alive outlives it.
      if (stopping) response.shouldKeepAlive = false;
      response.once('close', answered);
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use (another ecmahost or service?)' : `cannot be opened: ${error.message}`;
      reject(new OpsError('invalid-argument', `port ${options.port} ${why}. Choose another with --port or ECMAHOST_PORT.`, { cause: error }));
    });
    const closeIdle = (): void => {
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    };
    function onListening(info: AddressInfo): void {
      resolve({
        protocol,
        port: info.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would hold close() open until they time out.
            closeIdle();
          }),
        shutdown: (deadline) =>
          new Promise<ShutdownReport>((done) => {
            stopping = true;
            for (const response of answering.values()) if (!response.headersSent) response.shouldKeepAlive = false;
            let timer: NodeJS.Timeout | undefined;
            let cut = 0;
            // Also reached after a cut: the 503s close their connections like any answer.
            server.close(() => {
              clearTimeout(timer);
              done({ cut });
            });
            // Idle ones include a connection that sent nothing yet; one halfway through sending a
            // request is not idle and gets its answer.
            closeIdle();
            timer = setTimeout(() => {
              cut = cutters.size;
              for (const answer of cutters.values()) answer();
              setTimeout(() => {
                for (const socket of sockets.values()) socket.destroy();
                done({ cut });
              }, CUT_FLUSH_MS).unref();
            }, Math.max(0, deadline - Date.now() - CUT_FLUSH_MS));
            timer.unref();
          }),
        setCertificate: (tls) => {
          if ('setSecureContext' in server) server.setSecureContext(tls);
        },
      });
    }
  });
}
