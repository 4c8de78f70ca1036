import { ConnectorError } from '@ecmahost/sdk';

/** A user as the API sends and receives it (JSON). */
export interface ApiUser {
  userName: string;
  displayName?: string;
  emails?: string[];
  active?: boolean;
}

/** An answer of the API that is not a success: its status and the `error` text of its body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The HTTP calls the connector makes, with `fetch`. The API this template talks to:
 * `GET /users?offset=&limit=` → `{ users, total }`, `GET|PUT|DELETE /users/{userName}`, `POST /users`;
 * failures answer `{ "error": "..." }` with 400, 404 or 409. Change these calls to fit your API.
 */
export class ApiClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(baseUrl: string, apiKey: string | undefined) {
    // A trailing slash keeps relative paths under the base path (`https://x/api/` + `users`).
    this.#base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    this.#headers = { accept: 'application/json', ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }) };
  }

  async list(offset: number, limit: number): Promise<{ users: ApiUser[]; total: number }> {
    return (await this.#call('GET', `users?offset=${String(offset)}&limit=${String(limit)}`)) as { users: ApiUser[]; total: number };
  }

  async get(userName: string): Promise<ApiUser> {
    return (await this.#call('GET', `users/${encodeURIComponent(userName)}`)) as ApiUser;
  }

  async create(user: ApiUser): Promise<void> {
    await this.#call('POST', 'users', user);
  }

  async replace(user: ApiUser): Promise<void> {
    await this.#call('PUT', `users/${encodeURIComponent(user.userName)}`, user);
  }

  async remove(userName: string): Promise<void> {
    await this.#call('DELETE', `users/${encodeURIComponent(userName)}`);
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.#base), {
        method,
        headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ConnectorError('connection-failed', `cannot reach ${this.#base}: ${(cause as Error).message}`, { cause, parameter: 'BaseUrl' });
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new ConnectorError('authentication-failed', `${this.#base} refused the API key (${String(response.status)})`, { parameter: 'ApiKey' });
    }
    if (!response.ok) {
      let message = text;
      try {
        message = String((JSON.parse(text) as { error?: unknown }).error ?? text);
      } catch {
        // Not JSON: the body as it came is the best explanation there is.
      }
      throw new ApiError(response.status, `${method} ${path}: ${String(response.status)} ${message}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  }
}
