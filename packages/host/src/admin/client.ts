import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { OpsError, isOpsError } from '../store/errors.js';
import { CLIENT_HEADER } from './admin-audit.js';
import type { RunRecord, Store } from '../store/store.js';

/** A connection to a running host's `/admin` routes. */
export interface AdminClient {
  readonly record: RunRecord;
  /** Sends a request and parses the JSON answer; throws `OpsError('admin-request-failed')` on a non-2xx answer. */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Sends a request whose answer is newline-delimited JSON, handing each line to `onLine`. */
  stream(method: string, path: string, onLine: (line: unknown) => void): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function send(record: RunRecord, token: string, method: string, path: string, body: unknown): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', [CLIENT_HEADER]: 'cli' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const options = { host: '127.0.0.1', port: record.port, path: `/admin${path}`, method, headers };
    let req: ClientRequest;
    if (record.protocol === 'https') {
      // The certificate is self-signed or issued for the host name, not for 127.0.0.1: it is
      // pinned by the fingerprint the host wrote into its run record instead of verified by name.
      req = httpsRequest({ ...options, rejectUnauthorized: false }, resolve);
      req.on('socket', (socket) => {
        socket.once('secureConnect', () => {
          const peer = (socket as TLSSocket).getPeerCertificate();
          if (record.fingerprint256 === undefined || peer.fingerprint256 !== record.fingerprint256) {
            req.destroy(new OpsError('admin-request-failed', `the process on port ${record.port} does not present the host's certificate; refusing to send the admin credential.`));
          }
        });
      });
    } else {
      req = httpRequest(options, resolve);
    }
    req.on('error', (error) => reject(isOpsError(error) ? error : new OpsError('host-not-running', `cannot reach the host on port ${record.port}: ${error.message}`, { cause: error })));
    req.end(payload);
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function failure(res: IncomingMessage): Promise<OpsError> {
  const text = await readAll(res);
  let detail = text;
  try {
    const parsed = JSON.parse(text) as { error?: string; detail?: string };
    detail = parsed.error ?? parsed.detail ?? text;
  } catch {
    // Not JSON: the text is the message.
  }
  return new OpsError('admin-request-failed', `the host answered ${res.statusCode ?? '?'}: ${detail}`);
}

/**
 * Finds the host running on this data directory (its run record and a live process), or
 * `undefined` when none runs.
 */
export async function connectRunningHost(store: Store): Promise<AdminClient | undefined> {
  const record = await store.readRunRecord();
  if (record === undefined || !processAlive(record.pid)) return undefined;
  const token = await store.readAdminToken();
  return {
    record,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(record, token, method, path, body);
      if ((res.statusCode ?? 500) >= 300) throw await failure(res);
      return JSON.parse(await readAll(res)) as T;
    },
    async stream(method, path, onLine) {
      const res = await send(record, token, method, path, undefined);
      if ((res.statusCode ?? 500) >= 300) throw await failure(res);
      let buffer = '';
      for await (const chunk of res) {
        buffer += (chunk as Buffer).toString('utf8');
        let at: number;
        while ((at = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, at).trim();
          buffer = buffer.slice(at + 1);
          if (line !== '') onLine(JSON.parse(line));
        }
      }
      if (buffer.trim() !== '') onLine(JSON.parse(buffer));
    },
  };
}
