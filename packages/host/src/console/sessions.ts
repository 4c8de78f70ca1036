import { randomBytes } from 'node:crypto';
import type { WizardState } from './wizard-state.js';

/** One browser session of the console: signed in or not, with its CSRF token and wizard. */
export interface ConsoleSession {
  readonly id: string;
  /** The token every form of this session carries in `_csrf`; a POST without it is refused. */
  readonly csrf: string;
  authenticated: boolean;
  lastSeen: number;
  /** A one-time message shown on the next page (after a redirect). */
  flash?: string;
  wizard?: WizardState;
}

/** Sessions end after this long without a request. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
// A bound on the sessions kept in memory: each login page view makes one, and an attacker on
// loopback could otherwise grow the map without limit.
const MAX_SESSIONS = 1000;

/**
 * The console's sessions, kept in memory: a restart signs everyone out, which is what an admin
 * expects of a host that was just restarted with new settings.
 */
export class SessionStore {
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * A new session (not signed in), evicting expired ones and, when full, the least recently used
   * one not signed in (so visits of the sign-in page cannot push signed-in admins out), else the
   * least recently used.
   */
  create(): ConsoleSession {
    this.#sweep();
    if (this.#sessions.size >= MAX_SESSIONS) {
      let victim: string | undefined;
      for (const [id, session] of this.#sessions) {
        if (!session.authenticated) {
          victim = id;
          break;
        }
      }
      victim ??= this.#sessions.keys().next().value;
      if (victim !== undefined) this.#sessions.delete(victim);
    }
    const session: ConsoleSession = { id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), authenticated: false, lastSeen: this.#now() };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, refreshed; undefined when unknown or expired. */
  get(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (this.#now() - session.lastSeen > SESSION_IDLE_MS) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeen = this.#now();
    // Re-insert so the map stays ordered by last use (the oldest is evicted first).
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return session;
  }

  /** Replaces a session by a new signed-in one (a new id at sign-in defeats session fixation). */
  signIn(old: ConsoleSession | undefined): ConsoleSession {
    if (old !== undefined) this.#sessions.delete(old.id);
    const session = this.create();
    session.authenticated = true;
    return session;
  }

  /** Ends a session (sign-out). */
  end(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, session] of this.#sessions) if (now - session.lastSeen > SESSION_IDLE_MS) this.#sessions.delete(id);
  }
}
