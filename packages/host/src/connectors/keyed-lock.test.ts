import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

/** A promise with its resolve function, to hold work in flight. */
function held(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('KeyedLock', () => {
  it('runs work on one key in arrival order, one at a time, even when some of it fails', async () => {
    const lock = new KeyedLock(8);
    const events: string[] = [];
    const first = held();
    const a = lock.run('alice', async () => {
      events.push('a start');
      await first.promise;
      events.push('a end');
      throw new Error('a failed');
    });
    const b = lock.run('alice', async () => {
      events.push('b');
      return 'b done';
    });
    await Promise.resolve();
    expect(events).toEqual(['a start']);
    first.resolve();
    await expect(a).rejects.toThrow('a failed');
    expect(await b).toBe('b done');
    expect(events).toEqual(['a start', 'a end', 'b']);
    expect(lock.size).toBe(0);
  });

  it('runs work on different keys side by side', async () => {
    const lock = new KeyedLock(8);
    const gate = held();
    let inFlight = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++inFlight);
      await gate.promise;
      inFlight--;
    };
    const runs = [lock.run('alice', work), lock.run('bob', work), lock.run('carol', work)];
    await new Promise((r) => setImmediate(r));
    expect(most).toBe(3);
    gate.resolve();
    await Promise.all(runs);
  });

  it('keeps at most `limit` in flight, handing slots on in arrival order', async () => {
    const lock = new KeyedLock(2);
    const gates = Array.from({ length: 5 }, held);
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      lock.run(`user${String(i)}`, async () => {
        started.push(i);
        await g.promise;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(lock.size).toBe(0);
  });

  it('does not let a waiter for a busy key take a slot from other keys', async () => {
    const lock = new KeyedLock(2);
    const alice = held();
    const started: string[] = [];
    const run = (key: string, name: string, wait?: Promise<void>) =>
      lock.run(key, async () => {
        started.push(name);
        await wait;
      });
    const runs = [run('alice', 'alice 1', alice.promise), run('alice', 'alice 2'), run('bob', 'bob')];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['alice 1', 'bob']);
    alice.resolve();
    await Promise.all(runs);
    expect(started).toEqual(['alice 1', 'bob', 'alice 2']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new KeyedLock(0)).toThrow('positive integer');
  });
});
