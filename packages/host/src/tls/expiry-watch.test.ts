import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCertificate } from './certificate-info.js';
import { EXPIRY_CHECK_INTERVAL_MS, watchCertificateExpiry } from './expiry-watch.js';
import { generateSelfSignedCertificate } from './self-signed.js';

function capture(): { logger: pino.Logger; lines: () => { level: number; msg: string; daysLeft: number }[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino(sink), lines: () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; daysLeft: number }) };
}

describe('certificate expiry watch', () => {
  afterEach(() => vi.useRealTimers());

  it('warns every day, not only at start, and exposes the seconds left as a metric', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    // A 33-day certificate: no warning at start, one once fewer than 30 days are left.
    const info = describeCertificate((await generateSelfSignedCertificate({ hostName: 'localhost', now, days: 33 })).cert, now);
    vi.useFakeTimers({ now, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { logger, lines } = capture();
    const registry = new Registry();
    const stop = watchCertificateExpiry(() => info.validTo, logger, registry);
    expect(lines()).toEqual([]);
    const metric = async () => (await registry.getSingleMetric('ecmahost_certificate_expiry_seconds')?.get())?.values[0]?.value;
    expect(await metric()).toBe(33 * 86_400);

    vi.advanceTimersByTime(4 * EXPIRY_CHECK_INTERVAL_MS);
    expect(lines().map((l) => [l.level, l.daysLeft, l.msg])).toEqual([[40, 29, 'the certificate expires soon: run "ecmahost cert generate" or install a new one, then "ecmahost reload"']]);
    expect(await metric()).toBe(29 * 86_400);

    vi.advanceTimersByTime(30 * EXPIRY_CHECK_INTERVAL_MS);
    expect(lines().at(-1)).toMatchObject({ level: 50, msg: 'the certificate has expired: run "ecmahost cert generate" or install a new one, then "ecmahost reload"' });
    expect(await metric()).toBe(-86_400);
    stop();
    const logged = lines().length;
    vi.advanceTimersByTime(EXPIRY_CHECK_INTERVAL_MS);
    expect(lines()).toHaveLength(logged);
  });
});
