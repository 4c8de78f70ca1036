/**
 * The only file that talks to ldapts: bound connections, a pool of them, and the translation of
 * ldapts results and errors into the connector's own shapes ({@link LdapEntry},
 * {@link LdapOperationError}). Everything else in the connector is pure.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Filter, SearchEntry, SearchResponse } from 'ldapts';
import { Attribute, BerWriter, Change, Client, Control, EqualityFilter, FilterParser, MessageResponseStatus, ModifyDNRequest, PagedResultsControl, ResultCodeError, SearchRequest, StatusCodeParser } from 'ldapts';
import { AssertionControl } from './assertion-control.js';
import type { LdapConfig } from './config.js';
import { LdapOperationError } from './errors.js';
import { formatDn, parseDn } from './escape.js';
import { OID } from './root-dse.js';

/** An entry as read: attribute values as text, or as bytes for the attributes asked as binary. */
export interface LdapEntry {
  dn: string;
  attributes: Record<string, (string | Buffer)[]>;
}

/** One modification of a modify request. */
export interface LdapModification {
  operation: 'add' | 'delete' | 'replace';
  attribute: string;
  values: (string | Buffer)[];
}

/**
 * An equality filter built from its value rather than from filter text, for binary values such as
 * an objectGUID: ldapts' filter parser reads each escaped byte (`\c9`) as a character and sends
 * its UTF-8 encoding, so bytes of 0x80 and above would not match.
 */
export interface LdapEquality {
  attribute: string;
  equals: string | Buffer;
}

/** Search parameters. */
export interface LdapSearch {
  scope: 'base' | 'one' | 'sub';
  /** RFC 4515 filter text, or an equality built from its value. */
  filter: string | LdapEquality;
  attributes: string[];
  /** Attributes whose values are returned as bytes. */
  binaryAttributes?: string[];
  sizeLimit?: number;
  /**
   * Sends AD's show-deleted control, not critical: AD then returns deleted objects too, and a
   * server that does not know it answers as without it.
   */
  showDeleted?: boolean;
}

function filterOf(filter: string | LdapEquality): Filter {
  return typeof filter === 'string' ? FilterParser.parseString(filter) : new EqualityFilter({ attribute: filter.attribute, value: filter.equals });
}

/** The operations of one bound connection. */
export interface LdapConnection {
  search(base: string, search: LdapSearch): Promise<LdapEntry[]>;
  /** A paged search (RFC 2696): one array per page, the next page asked only when the previous is consumed. */
  searchPages(base: string, search: LdapSearch, pageSize: number): AsyncGenerator<LdapEntry[]>;
  add(dn: string, attributes: Record<string, (string | Buffer)[]>): Promise<void>;
  /** A modify; with `assertion`, applied only when the entry has that attribute value (RFC 4528), else assertionFailed (122). */
  modify(dn: string, modifications: LdapModification[], assertion?: { attribute: string; value: string | Buffer }): Promise<void>;
  /** Renames or moves an entry (RFC 4511 §4.9); `deleteOldRdn` removes the old naming value. */
  modifyDn(dn: string, newDn: string, deleteOldRdn: boolean): Promise<void>;
  delete(dn: string): Promise<void>;
  /** The Password Modify extended operation (RFC 3062) setting `dn`'s password. */
  passwordModify(dn: string, newPassword: string): Promise<void>;
}

/** Bound connections shared by the sessions of one connector instance. */
export interface LdapPool {
  /** Runs `fn` on a healthy bound connection; a connection that failed at the transport level is dropped. */
  use<T>(fn: (connection: LdapConnection) => Promise<T>): Promise<T>;
  /** Holds a connection until `release` (for a paged import that spans several calls). */
  lease(): Promise<{ connection: LdapConnection; release(): void }>;
  close(): Promise<void>;
}

function stripCode(message: string): string {
  return message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
}

function hint(error: NodeJS.ErrnoException, url: string, timeoutMs: number): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${url} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name of ${url} cannot be resolved`;
    case 'ECONNRESET':
      return `the server at ${url} closed the connection`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the server certificate is not issued for this name (${error.message}); set "Certificate name" to a name the certificate carries`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the server certificate is not signed by a trusted CA (${error.message}); set "CA certificates" to the CA that issued it`;
    case 'CERT_HAS_EXPIRED':
      return `the server certificate has expired`;
    default:
      if (/Connection timeout/i.test(error.message)) return `no connection to ${url} within ${String(timeoutMs / 1000)} s`;
      if (/Connection setup timed out/i.test(error.message)) return `no TLS session and bind with ${url} (${error.message.replace(/^Connection setup timed out/, 'timed out')})`;
      if (/timed out/i.test(error.message)) return `the server did not answer within ${String(timeoutMs / 1000)} s`;
      return error.message;
  }
}

function translate(error: unknown, operation: string, config: LdapConfig): LdapOperationError {
  if (error instanceof LdapOperationError) return error;
  if (error instanceof ResultCodeError) {
    return new LdapOperationError({ resultCode: error.code, diagnostic: stripCode(error.message), operation, cause: error });
  }
  const timeout = /Connection timeout/i.test(String((error as Error)?.message)) ? config.connectTimeoutMs : config.operationTimeoutMs;
  return new LdapOperationError({ diagnostic: hint(error as NodeJS.ErrnoException, config.url, timeout), transport: true, operation, cause: error });
}

function toEntry(raw: Record<string, unknown> & { dn: string }): LdapEntry {
  const attributes: Record<string, (string | Buffer)[]> = {};
  for (const name in raw) {
    if (name === 'dn') continue;
    const value = raw[name];
    const values = (Array.isArray(value) ? value : [value]) as (string | Buffer)[];
    // ldapts lists every requested attribute, with no values when the entry has none (even `*`).
    if (values.length > 0) attributes[name] = values;
  }
  return { dn: raw.dn, attributes };
}

/**
 * An entry of a paged search, built straight from the parsed message: ldapts' own `toObject` makes
 * another copy keyed by name (lower-casing every name by locale) that `toEntry` would then copy
 * again. Values are bytes for the attributes asked as binary and for any value that is not UTF-8,
 * as `toObject` gives them.
 */
function entryOf(raw: SearchEntry, binary: ReadonlySet<string>): LdapEntry {
  const attributes: Record<string, (string | Buffer)[]> = {};
  for (const attribute of raw.attributes) {
    const values: (string | Buffer)[] = binary.has(attribute.type) || attribute.values.some((v) => Buffer.isBuffer(v)) ? attribute.parsedBuffers : attribute.values;
    if (values.length > 0) attributes[attribute.type] = values;
  }
  return { dn: raw.name, attributes };
}

function tlsOptions(config: LdapConfig): tls.ConnectionOptions {
  const t = config.tls ?? { servername: '' };
  // RFC 6066 forbids an IP address as SNI server name; Node then checks the name against `host`.
  const name = net.isIP(t.servername) ? { host: t.servername } : { servername: t.servername };
  return { ...name, ...(t.ca === undefined ? {} : { ca: t.ca }), ...(t.cert === undefined ? {} : { cert: t.cert }), ...(t.key === undefined ? {} : { key: t.key }), rejectUnauthorized: true };
}

/** A connection that failed at the transport level is never reused. */
interface PooledClient {
  client: Client;
  broken: boolean;
}

/**
 * Opens one connection: TCP or TLS, StartTLS when configured, then the bind. ldapts would
 * reconnect a dropped socket on its own, without StartTLS and without binding; the connection
 * factories below allow one socket per client so a lost connection stays lost and the pool
 * replaces it properly.
 */
async function connect(config: LdapConfig): Promise<PooledClient> {
  let plainSockets = 0;
  let secureSockets = 0;
  const refuse = (): net.Socket => {
    const socket = new net.Socket();
    process.nextTick(() => socket.destroy(new Error('connection lost')));
    return socket;
  };
  const pooled: PooledClient = { client: undefined as unknown as Client, broken: false };
  // ldapts stops tracking the TCP socket's state once StartTLS has wrapped it, so a server that
  // closed the connection would look connected; the pool watches the sockets itself.
  const watch = <S extends net.Socket>(socket: S): S => {
    socket.once('close', () => {
      pooled.broken = true;
    });
    return socket;
  };
  const client = new Client({
    url: config.url,
    connectTimeout: config.connectTimeoutMs,
    timeout: config.operationTimeoutMs,
    strictDN: false,
    ...(config.url.startsWith('ldaps:') ? { tlsOptions: tlsOptions(config) } : {}),
    createConnection: ((...args: Parameters<typeof net.connect>) => (++plainSockets > 1 ? refuse() : watch(net.connect(...args)))) as typeof net.connect,
    createSecureConnection: ((...args: Parameters<typeof tls.connect>) => (++secureSockets > 1 ? refuse() : watch(tls.connect(...args)))) as typeof tls.connect,
  });
  pooled.client = client;
  // ldapts times the TCP connect and each request, but not the TLS handshake that follows
  // StartTLS: one deadline covers the whole setup so a server that stalls there cannot hang us.
  const setupMs = config.connectTimeoutMs + config.operationTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Connection setup timed out after ${String(setupMs / 1000)} s`)), setupMs);
  });
  const setup = (async () => {
    if (config.startTls) await client.startTLS(tlsOptions(config));
    if (config.bind.method === 'simple') await client.bind(config.bind.dn, config.bind.password?.reveal() ?? '');
    else if (config.bind.method === 'external') await client.bind('EXTERNAL');
  })();
  // Lost the race to the deadline: its later failure has no one to report to.
  setup.catch(() => undefined);
  try {
    await Promise.race([setup, deadline]);
  } catch (error) {
    pooled.broken = true;
    await unbindQuietly(client);
    throw translate(error, config.bind.method === 'anonymous' ? 'connect' : 'bind', config);
  } finally {
    clearTimeout(timer);
  }
  return pooled;
}

function connectionOf(pooled: PooledClient, config: LdapConfig): LdapConnection {
  const { client } = pooled;
  const guard = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      const translated = translate(error, operation, config);
      if (translated.transport) pooled.broken = true;
      throw translated;
    }
  };
  const extraControls = (s: LdapSearch): Control[] => (s.showDeleted === true ? [new Control(OID.showDeleted, { critical: false })] : []);
  const searchOptions = (s: LdapSearch) => ({
    scope: s.scope,
    filter: filterOf(s.filter),
    attributes: s.attributes,
    ...(s.binaryAttributes === undefined ? {} : { explicitBufferAttributes: s.binaryAttributes }),
    ...(s.sizeLimit === undefined ? {} : { sizeLimit: s.sizeLimit }),
  });
  return {
    search: (base, s) =>
      guard(`search ${base}`, async () => (await client.search(base, searchOptions(s), extraControls(s))).searchEntries.map((e) => toEntry(e))),
    async *searchPages(base, s, pageSize) {
      // The pages are asked for through the message path ldapts' own searchPaginated uses, with
      // the same paged results control (RFC 2696), so that each entry is built once (entryOf).
      const sender = client as unknown as { _nextMessageId(): number; _send(message: SearchRequest): Promise<SearchResponse | undefined>; messageDetailsByMessageId?: Map<string, { searchEntries?: unknown }> };
      const paging = new PagedResultsControl({ value: { size: pageSize } });
      const request = new SearchRequest({
        messageId: -1,
        baseDN: base,
        scope: s.scope,
        filter: filterOf(s.filter),
        attributes: s.attributes,
        explicitBufferAttributes: s.binaryAttributes ?? [],
        ...(s.sizeLimit === undefined ? {} : { sizeLimit: s.sizeLimit }),
        controls: [paging, ...extraControls(s)],
      });
      const binary = new Set(s.binaryAttributes ?? []);
      for (;;) {
        request.messageId = sender._nextMessageId();
        const page: LdapEntry[] = [];
        const result = await guard(`search ${base}`, async () => {
          const sent = sender._send(request);
          // Each entry is built as its message arrives, where ldapts would keep every parsed
          // message (an object, a Buffer and two arrays per attribute) until the page ends: those
          // then die young instead of being copied by every collection while a page of thousands
          // arrives. ldapts collects a request's entries by calling `push` on the list its
          // details hold; should it stop doing so, they are in the response and taken from there.
          const details = sender.messageDetailsByMessageId?.get(String(request.messageId));
          if (details !== undefined) details.searchEntries = { push: (e: SearchEntry) => page.push(entryOf(e, binary)), [Symbol.iterator]: () => [][Symbol.iterator]() };
          const response = await sent;
          const status = response?.status;
          if (status !== MessageResponseStatus.Success && !(status === MessageResponseStatus.SizeLimitExceeded && s.sizeLimit !== undefined)) throw StatusCodeParser.parse(response as never);
          return response as SearchResponse;
        });
        for (const e of result.searchEntries) page.push(entryOf(e, binary));
        const answer = (result.controls ?? []).find((c: Control): c is PagedResultsControl => c instanceof PagedResultsControl);
        const cookie = answer?.value?.cookie;
        const references = result.searchReferences.length;
        yield page;
        // An empty cookie ends the search (RFC 2696 §3); so does an empty page, as in ldapts.
        if (cookie === undefined || cookie.length === 0 || (page.length === 0 && references === 0)) return;
        paging.value = { size: pageSize, cookie };
      }
    },
    add: (dn, attributes) =>
      guard(`add ${dn}`, () => client.add(dn, Object.entries(attributes).map(([type, values]) => new Attribute({ type, values: values as string[] })))),
    modify: (dn, modifications, assertion) =>
      guard(`modify ${dn}`, () =>
        client.modify(
          dn,
          modifications.map((m) => new Change({ operation: m.operation, modification: new Attribute({ type: m.attribute, values: m.values as string[] }) })),
          assertion === undefined ? undefined : new AssertionControl(assertion.attribute, assertion.value),
        ),
      ),
    modifyDn: (dn, newDn, deleteOldRdn) =>
      guard(`rename ${dn}`, async () => {
        // ldapts' modifyDN always deletes the old RDN and finds the new superior with a regular
        // expression that misreads a value ending in an escaped backslash; the request is built
        // here from a parsed DN instead, through the same message path ldapts' own methods use.
        const [rdn, ...parent] = parseDn(newDn);
        if (rdn === undefined) throw new TypeError(`the new DN of ${dn} is empty`);
        const sender = client as unknown as { _nextMessageId(): number; _send(message: ModifyDNRequest): Promise<{ status: number } | undefined> };
        const request = new ModifyDNRequest({ messageId: sender._nextMessageId(), dn, deleteOldRdn, newRdn: formatDn([rdn]), newSuperior: formatDn(parent) });
        const result = await sender._send(request);
        if (result?.status !== MessageResponseStatus.Success) throw StatusCodeParser.parse(result as never);
      }),
    delete: (dn) => guard(`delete ${dn}`, () => client.del(dn)),
    passwordModify: (dn, newPassword) =>
      guard(`password modify ${dn}`, async () => {
        // PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0], oldPasswd [1], newPasswd [2] } (RFC 3062 §2)
        const writer = new BerWriter();
        writer.startSequence();
        writer.writeString(dn, 0x80);
        writer.writeString(newPassword, 0x82);
        writer.endSequence();
        await client.exop(OID.passwordModify, writer.buffer);
      }),
  };
}

/**
 * Unbinds, giving up after a second: ldapts can wait forever for the write of an unbind on a socket
 * whose peer died unnoticed, and closing an instance must not hang on it.
 */
async function unbindQuietly(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.unbind().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000);
    }),
  ]);
  clearTimeout(timer);
}

/** Opens one bound connection (test connection, discovery); call `close` when done. */
export async function openConnection(config: LdapConfig): Promise<LdapConnection & { close(): Promise<void> }> {
  const pooled = await connect(config);
  return { ...connectionOf(pooled, config), close: () => unbindQuietly(pooled.client) };
}

/** A pool of up to `config.poolSize` bound connections, created on demand and replaced when they fail. */
export function createPool(config: LdapConfig): LdapPool {
  const idle: PooledClient[] = [];
  const waiting: (() => void)[] = [];
  let open = 0;
  let closed = false;

  const healthy = (p: PooledClient) => !p.broken && p.client.isConnected;
  const dispose = (p: PooledClient) => void unbindQuietly(p.client);
  const wake = () => waiting.shift()?.();

  const acquire = async (): Promise<PooledClient> => {
    for (;;) {
      if (closed) throw new LdapOperationError({ diagnostic: 'the connector instance is closed', transport: true, operation: 'connect' });
      const p = idle.pop();
      if (p !== undefined) {
        if (healthy(p)) return p;
        // Dropped while idle (server restart, idle timeout): replace it.
        open--;
        dispose(p);
        continue;
      }
      if (open < config.poolSize) {
        open++;
        try {
          return await connect(config);
        } catch (error) {
          open--;
          wake();
          throw error;
        }
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };

  const release = (p: PooledClient) => {
    if (healthy(p) && !closed) idle.push(p);
    else {
      open--;
      dispose(p);
    }
    wake();
  };

  return {
    async use(fn) {
      const p = await acquire();
      try {
        return await fn(connectionOf(p, config));
      } finally {
        release(p);
      }
    },
    async lease() {
      const p = await acquire();
      let released = false;
      return {
        connection: connectionOf(p, config),
        release() {
          if (!released) {
            released = true;
            release(p);
          }
        },
      };
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w();
      await Promise.all(idle.splice(0).map((p) => unbindQuietly(p.client)));
    },
  };
}
