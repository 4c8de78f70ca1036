import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

describe('InFlight', () => {
  it('lists what was added and not removed, newest first, and counts it', () => {
    const inFlight = new InFlight<string>();
    const removeA = inFlight.add('a');
    const removeB = inFlight.add('b');
    inFlight.add('c');
    expect(inFlight.values()).toEqual(['c', 'b', 'a']);
    expect(inFlight.size).toBe(3);

    removeB();
    expect(inFlight.values()).toEqual(['c', 'a']);
    removeA();
    expect(inFlight.values()).toEqual(['c']);
    expect(inFlight.size).toBe(1);
  });

  it('removes the newest, the oldest and the only entry, and ignores a second removal', () => {
    const inFlight = new InFlight<number>();
    const removers = [1, 2, 3].map((n) => inFlight.add(n));
    removers[2]!();
    expect(inFlight.values()).toEqual([2, 1]);
    removers[0]!();
    expect(inFlight.values()).toEqual([2]);
    removers[0]!();
    removers[2]!();
    expect(inFlight.size).toBe(1);
    removers[1]!();
    expect(inFlight.values()).toEqual([]);
    expect(inFlight.size).toBe(0);

    // Emptied, it takes entries again.
    const again = inFlight.add(4);
    expect(inFlight.values()).toEqual([4]);
    again();
    expect(inFlight.size).toBe(0);
  });

  it('hands out a copy, so each entry can remove itself while a shutdown walks them', () => {
    const inFlight = new InFlight<() => void>();
    const answered: number[] = [];
    for (const n of [1, 2, 3, 4]) {
      const remove = inFlight.add(() => {
        answered.push(n);
        remove();
      });
    }
    for (const answer of inFlight.values()) answer();
    expect(answered).toEqual([4, 3, 2, 1]);
    expect(inFlight.size).toBe(0);
    expect(inFlight.values()).toEqual([]);
  });

  it('keeps an entry that is itself undefined apart from a removed one', () => {
    const inFlight = new InFlight<string | undefined>();
    const remove = inFlight.add(undefined);
    inFlight.add('x');
    expect(inFlight.values()).toEqual(['x', undefined]);
    remove();
    expect(inFlight.values()).toEqual(['x']);
  });
});
