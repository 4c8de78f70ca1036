import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { EXPIRY_WARNING_DAYS } from './certificate-info.js';

/** How often a running host checks its certificate's expiry. */
export const EXPIRY_CHECK_INTERVAL_MS = 86_400_000;

/**
 * Logs the certificate's expiry: a warning within {@link EXPIRY_WARNING_DAYS} days, an error once
 * expired (Entra's agent then refuses the host). Returns the seconds left.
 */
export function checkCertificateExpiry(notAfter: Date, logger: Logger, now: Date = new Date()): number {
  const secondsLeft = Math.floor((notAfter.getTime() - now.getTime()) / 1000);
  const daysLeft = Math.floor(secondsLeft / 86_400);
  if (secondsLeft <= 0) logger.error({ daysLeft, notAfter: notAfter.toISOString() }, 'the certificate has expired: run "ecmahost cert generate" or install a new one, then "ecmahost reload"');
  else if (daysLeft < EXPIRY_WARNING_DAYS) logger.warn({ daysLeft, notAfter: notAfter.toISOString() }, 'the certificate expires soon: run "ecmahost cert generate" or install a new one, then "ecmahost reload"');
  return secondsLeft;
}

/**
 * Checks the serving certificate now and once a day (a long-running host outlives the warning at
 * start), and exposes `ecmahost_certificate_expiry_seconds` in `registry`, read at scrape time.
 * `notAfter` is asked each time, so a reloaded certificate is the one checked. Returns a stop function.
 */
export function watchCertificateExpiry(notAfter: () => Date, logger: Logger, registry: Registry): () => void {
  new Gauge({
    name: 'ecmahost_certificate_expiry_seconds',
    help: 'Seconds until the serving certificate expires (negative once expired)',
    registers: [registry],
    collect() {
      this.set(Math.floor((notAfter().getTime() - Date.now()) / 1000));
    },
  });
  checkCertificateExpiry(notAfter(), logger);
  const timer = setInterval(() => checkCertificateExpiry(notAfter(), logger), EXPIRY_CHECK_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
