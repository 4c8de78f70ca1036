import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HandleWatch } from './handles.js';

describe('HandleWatch', () => {
  it('reports a timer opened while watching and never cleared, with the line that created it', async () => {
    const watch = HandleWatch.start();
    const timer = setInterval(() => {}, 60_000);
    try {
      const [leak] = await watch.leaks(100);
      expect(leak).toMatch(/^Timeout \+1 \(opened by the connector, created at .*handles\.test\.ts:\d+:\d+\)?\)$/);
    } finally {
      clearInterval(timer);
    }
  });

  it('reports a listening socket, also one opened after the work ended', async () => {
    const watch = HandleWatch.start();
    // listen() with a host resolves it first, so the handle appears a tick later.
    const server = createServer().listen(0, '127.0.0.1');
    try {
      expect((await watch.leaks(200)).join(', ')).toMatch(/TCPSERVERWRAP \+1/);
    } finally {
      server.close();
    }
  });

  it('accepts what is released, even a moment after close', async () => {
    const watch = HandleWatch.start();
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    setTimeout(() => server.close(), 100);
    expect(await watch.leaks(2_000)).toEqual([]);
  });

  it('ignores unref’d timers and handles that were open before the watch started', async () => {
    const before = setInterval(() => {}, 60_000);
    try {
      const watch = HandleWatch.start();
      const unrefd = setInterval(() => {}, 60_000).unref();
      try {
        expect(await watch.leaks(100)).toEqual([]);
      } finally {
        clearInterval(unrefd);
      }
    } finally {
      clearInterval(before);
    }
  });
});
