import { pathnameOf } from '../middleware/request-url.js';

/** One SCIM request as the console lists it. */
export interface RequestRecord {
  at: string;
  method: string;
  /** The path without the query string (filter values are user data). */
  path: string;
  status: number;
  latencyMs: number;
}

/** One failed write (an export the directory refused), with the message it gave. */
export interface ExportErrorRecord {
  at: string;
  method: string;
  path: string;
  status: number;
  /** The SCIM error's `detail`: the directory's own message, as the connector reported it. */
  message: string;
}

/** How many entries of each kind are kept per connector. */
export const ACTIVITY_LIMIT = 50;
/**
 * Most connector names the log keeps entries for; past it the name recorded longest ago is
 * dropped. Far above the connectors a host serves, it bounds the log even when no
 * {@link ActivityLogOptions.isServed} check is given.
 */
export const ACTIVITY_MAX_CONNECTORS = 256;

/** Options of {@link ActivityLog}. */
export interface ActivityLogOptions {
  /** Entries of each kind kept per connector (default {@link ACTIVITY_LIMIT}). */
  limit?: number;
  /**
   * Whether a connector of this name is served. Requests to other names are not recorded: the
   * name in the path is the caller's, and without the check each distinct name would keep a buffer.
   */
  isServed?: (connector: string) => boolean;
}

const CONNECTOR_PATH = /^\/ecma2host_([A-Za-z0-9_-]+)\/scim(\/.*)?$/i;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

class Ring<T> {
  readonly #items: T[] = [];
  constructor(readonly limit: number) {}
  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.limit) this.#items.shift();
  }
  /** Newest first. */
  list(): T[] {
    return [...this.#items].reverse();
  }
}

/** An entry as kept: the time as epoch milliseconds, turned into text only when the console reads it. */
type Kept<T extends { at: string }> = Omit<T, 'at'> & { at: number };

function shown<T extends { at: string }>(entry: Kept<T>): T {
  return { ...entry, at: new Date(entry.at).toISOString() } as unknown as T;
}

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * The last SCIM requests and failed exports of every connector, in bounded ring buffers. Filled by
 * wrapping the server's fetch handler, so the core's routes stay untouched and every request is
 * seen, whichever handler answered it. Only requests to a served connector that passed its token
 * check are recorded (a 401 is not): anyone who reaches the port can send the others.
 */
export class ActivityLog {
  readonly #requests = new Map<string, Ring<Kept<RequestRecord>>>();
  readonly #exportErrors = new Map<string, Ring<Kept<ExportErrorRecord>>>();
  readonly #limit: number;
  readonly #isServed: (connector: string) => boolean;

  constructor(options: ActivityLogOptions = {}) {
    this.#limit = options.limit ?? ACTIVITY_LIMIT;
    this.#isServed = options.isServed ?? (() => true);
  }

  /** The last requests to a connector's endpoint, newest first. */
  requests(connector: string): RequestRecord[] {
    return this.#requests.get(connector)?.list().map((entry) => shown<RequestRecord>(entry)) ?? [];
  }

  /** The last failed writes to a connector, newest first, with the target's message. */
  exportErrors(connector: string): ExportErrorRecord[] {
    return this.#exportErrors.get(connector)?.list().map((entry) => shown<ExportErrorRecord>(entry)) ?? [];
  }

  /** Records one answered request (used by {@link wrapFetch}). */
  async record(request: Request, response: Response, latencyMs: number): Promise<void> {
    await this.#record(request, response, latencyMs);
  }

  /**
   * A fetch handler that answers with `fetch` and records what it answered. It runs for every
   * request the host serves, so it adds no promise of its own but for a failed write, whose
   * record waits for the error's detail.
   */
  wrapFetch<F extends Fetch>(fetch: F): F {
    const answered = (request: Request, response: Response, started: number): Response | Promise<Response> => {
      const detail = this.#record(request, response, performance.now() - started);
      return detail === undefined ? response : detail.then(() => response);
    };
    const wrapped = (request: Request, env?: unknown): Response | Promise<Response> => {
      const started = performance.now();
      const answer = fetch(request, env);
      return answer instanceof Promise ? answer.then((response) => answered(request, response, started)) : answered(request, answer, started);
    };
    return wrapped as F;
  }

  /** Records a request at once; a failed write's record is completed once its detail is read, and that is returned. */
  #record(request: Request, response: Response, latencyMs: number): Promise<void> | undefined {
    const pathname = pathnameOf(request.url);
    const match = CONNECTOR_PATH.exec(pathname);
    const connector = match?.[1];
    // 401 is the token check refusing the caller: the request never reached the connector.
    if (connector === undefined || response.status === 401 || !this.#isServed(connector)) return undefined;
    const at = Date.now();
    const path = pathname.slice(0, 300);
    this.#ring(this.#requests, connector).push({ at, method: request.method, path, status: response.status, latencyMs: Math.round(latencyMs * 10) / 10 });
    if (!WRITES.has(request.method) || response.status < 400) return undefined;
    return detailOf(response).then((message) => {
      this.#ring(this.#exportErrors, connector).push({ at, method: request.method, path, status: response.status, message });
    });
  }

  #ring<T>(map: Map<string, Ring<T>>, connector: string): Ring<T> {
    let ring = map.get(connector);
    if (ring === undefined) {
      // A Map iterates in insertion order: the first key is the name recorded longest ago.
      if (map.size >= ACTIVITY_MAX_CONNECTORS) map.delete(map.keys().next().value!);
      ring = new Ring<T>(this.#limit);
      map.set(connector, ring);
    }
    return ring;
  }
}

async function detailOf(response: Response): Promise<string> {
  try {
    const body = (await response.clone().json()) as { detail?: unknown };
    return typeof body.detail === 'string' ? body.detail.slice(0, 2000) : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
