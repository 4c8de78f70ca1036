import { isIP } from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether `address` is this machine's loopback (IPv4, IPv6 or IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}

/** Whether `address` is an IPv4 or IPv6 address, as `trustProxy` in `host.yaml` must list. */
export function isIpAddress(address: string): boolean {
  return isIP(address) !== 0;
}

/**
 * The address of the client a request came from. Without trusted proxies, the socket's peer.
 * When the peer is one of `trustProxy` (a TLS-terminating proxy), the client is the right-most
 * `X-Forwarded-For` entry that is not itself a trusted proxy: entries to its left were written
 * by the client and prove nothing. A trusted peer that sends no `X-Forwarded-For` is the client.
 * Any other peer's `X-Forwarded-For` is ignored, so a client cannot choose its own address.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trustProxy: readonly string[]): string | undefined {
  if (peer === undefined || forwardedFor === undefined || !trustProxy.includes(peer)) return peer;
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is no address (a proxy's "unknown", garbage) ends what can be believed.
    if (!isIpAddress(hop)) return hop;
    if (!trustProxy.includes(hop)) return hop;
  }
  return hops[0] ?? peer;
}

/** What {@link requestClient} reads of a Hono context: the Node socket (when served by Node) and the headers. */
interface RequestLike {
  env: unknown;
  req: { header(name: string): string | undefined };
}

/** {@link clientAddress} of a Hono request served by `@hono/node-server`; undefined when there is no socket (an in-process `app.request`). */
export function requestClient(c: RequestLike, trustProxy: readonly string[]): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  // The header only counts from a trusted proxy, and only then is it read: `c.req.header()` builds
  // an undici Headers of the whole request, which every lookup would otherwise pay for.
  if (peer === undefined || !trustProxy.includes(peer)) return peer;
  return clientAddress(peer, c.req.header('x-forwarded-for'), trustProxy);
}
