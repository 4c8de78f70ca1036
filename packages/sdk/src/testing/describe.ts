import { describe, it } from 'vitest';
import { CHECKS } from './checks.js';
import type { ConformanceOptions } from './options.js';
import { CONFORMANCE_CHECKS } from './options.js';
import { assertConformanceOptions, runConformanceCheck } from './run-check.js';

/**
 * Declares the conformance suite of a connector in the calling vitest file: one `describe` named
 * after `options.name` with one `it` per check id. A check that does not apply to the connector's
 * capabilities skips itself with the reason; `options.skip` skips others with yours.
 *
 * Throws at once when the options are unusable (a skip without a reason, an unknown check id).
 */
export function describeConnectorConformance(options: ConformanceOptions): void {
  assertConformanceOptions(options);
  const timeout = options.timeout ?? 60_000;
  describe(`connector conformance: ${options.name}`, () => {
    for (const id of CONFORMANCE_CHECKS) {
      const reason = options.skip?.[id];
      const title = `${id}: ${CHECKS[id].title}`;
      if (reason !== undefined) {
        it.skip(`${title} (skipped: ${reason})`, () => {});
        continue;
      }
      it(
        title,
        async (context) => {
          const outcome = await runConformanceCheck(id, options);
          if (outcome.status === 'skipped') context.skip(outcome.reason);
        },
        timeout,
      );
    }
  });
}
