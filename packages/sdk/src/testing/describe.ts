import { afterAll, describe, it } from 'vitest';
import { CHECKS } from './checks.js';
import { ConformanceError } from './harness.js';
import type { ConformanceCheckId, ConformanceOptions } from './options.js';
import { CONFORMANCE_CHECKS } from './options.js';
import { assertConformanceOptions, runConformanceCheck } from './run-check.js';

/**
 * Declares the conformance suite of a connector in the calling vitest file: one `describe` named
 * after `options.name` with one `it` per check id. A check that does not apply to the connector's
 * capabilities skips itself with the reason; `options.skip` skips others with yours.
 *
 * When the suite ends it prints (on stdout, with any reporter) every skipped check with its reason
 * and every warning. A defect that later checks would meet again (a dropped export result) fails
 * the check that met it first; the later checks that meet it skip, naming that check.
 *
 * Throws at once when the options are unusable (a skip without a reason, an unknown check id).
 */
export function describeConnectorConformance(options: ConformanceOptions): void {
  assertConformanceOptions(options);
  const timeout = options.timeout ?? 60_000;
  // Vitest shows skip reasons only with --reporter=verbose; the summary shows them to everyone.
  const notes: string[] = [];
  const faults = new Map<string, ConformanceCheckId>();
  describe(`connector conformance: ${options.name}`, () => {
    for (const id of CONFORMANCE_CHECKS) {
      const reason = options.skip?.[id];
      const title = `${id}: ${CHECKS[id].title}`;
      if (reason !== undefined) {
        notes.push(`skipped ${id}: ${reason}`);
        it.skip(`${title} (skipped: ${reason})`, () => {});
        continue;
      }
      it(
        title,
        async (context) => {
          // The host meets a recorded defect again, and reports it in its own words.
          const [earlier] = faults.values();
          if (id === 'through-host' && earlier !== undefined) {
            const skipped = `earlier check ${earlier} failed; the host would meet the same defect`;
            notes.push(`skipped ${id}: ${skipped}`);
            context.skip(skipped);
            return;
          }
          let outcome;
          try {
            outcome = await runConformanceCheck(id, options);
          } catch (error) {
            const fault = error instanceof ConformanceError ? error.fault : undefined;
            const first = fault === undefined ? undefined : faults.get(fault);
            if (fault === undefined || first === undefined) {
              if (fault !== undefined) faults.set(fault, id);
              throw error;
            }
            const skipped = `earlier check ${first} failed with the same defect (${(error as Error).message})`;
            notes.push(`skipped ${id}: ${skipped}`);
            context.skip(skipped);
            return;
          }
          if (outcome.status === 'skipped') {
            notes.push(`skipped ${id}: ${outcome.reason}`);
            context.skip(outcome.reason);
          }
          for (const warning of outcome.status === 'passed' ? (outcome.warnings ?? []) : []) notes.push(`warning from ${id}: ${warning}`);
        },
        timeout,
      );
    }
    afterAll(() => {
      if (notes.length > 0) console.log(`connector conformance: ${options.name}\n  ${notes.join('\n  ')}`);
    });
  });
}
