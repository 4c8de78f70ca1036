import { describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS, SessionStore } from './sessions.js';

describe('SessionStore', () => {
  it('ends a session after the idle time, and a request inside it keeps it alive', () => {
    let now = 1_000_000;
    const sessions = new SessionStore(() => now);
    const a = sessions.create();
    now += SESSION_IDLE_MS - 1;
    expect(sessions.get(a.id)).toBe(a);
    now += SESSION_IDLE_MS - 1;
    expect(sessions.get(a.id)).toBe(a);
    now += SESSION_IDLE_MS + 1;
    expect(sessions.get(a.id)).toBeUndefined();
  });

  it('signs in with a new id and a new CSRF token, dropping the old session', () => {
    const sessions = new SessionStore();
    const before = sessions.create();
    const after = sessions.signIn(before);
    expect(after.authenticated).toBe(true);
    expect(after.id).not.toBe(before.id);
    expect(after.csrf).not.toBe(before.csrf);
    expect(sessions.get(before.id)).toBeUndefined();
    expect(sessions.get(after.id)).toBe(after);
  });

  it('keeps a bounded number of sessions, evicting the least recently used', () => {
    const sessions = new SessionStore();
    const first = sessions.create();
    const second = sessions.create();
    sessions.get(first.id);
    for (let i = 0; i < 999; i++) sessions.create();
    expect(sessions.get(second.id)).toBeUndefined();
    expect(sessions.get(first.id)).toBe(first);
  });

  it('keeps signed-in sessions when sign-in page visits fill the store', () => {
    const sessions = new SessionStore();
    const admin = sessions.signIn(undefined);
    for (let i = 0; i < 5000; i++) sessions.create();
    expect(sessions.get(admin.id)).toBe(admin);
  });

  it('knows no session for an unknown or missing id', () => {
    const sessions = new SessionStore();
    expect(sessions.get(undefined)).toBeUndefined();
    expect(sessions.get('forged')).toBeUndefined();
  });
});
