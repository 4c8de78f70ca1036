import { fail } from './harness.js';
import { createContext, openSession } from './harness.js';
import { CHECKS } from './checks.js';
import { HandleWatch } from './handles.js';
import type { ConformanceCheckId, ConformanceOptions } from './options.js';
import { CONFORMANCE_CHECKS } from './options.js';

/**
 * How a check ended when it did not fail (failures throw). A passed check may carry warnings:
 * findings that break nothing in `@ecmahost/host` but that the author should read.
 */
export type ConformanceOutcome = { status: 'passed'; warnings?: string[] } | { status: 'skipped'; reason: string };

/**
 * Throws when the options are unusable: a skip without a reason, an unknown check id, a missing
 * `multiValued` or `invalid` without a skip saying why, a page or batch size that is not a positive
 * whole number.
 */
export function assertConformanceOptions(options: ConformanceOptions): void {
  const skip = options.skip ?? {};
  for (const [id, reason] of Object.entries(skip)) {
    if (!(CONFORMANCE_CHECKS as readonly string[]).includes(id)) {
      throw new TypeError(`conformance: skip names an unknown check "${id}"; the checks are ${CONFORMANCE_CHECKS.join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new TypeError(`conformance: skip["${id}"] needs a reason: say why the check does not apply`);
    }
  }
  if (options.multiValued === undefined && skip['update-multi-value'] === undefined) {
    throw new TypeError('conformance: multiValued is omitted; give skip["update-multi-value"] a reason instead');
  }
  if (options.invalid === undefined && skip['batch-partial-failure'] === undefined) {
    throw new TypeError('conformance: invalid is omitted; give skip["batch-partial-failure"] a reason instead');
  }
  for (const key of ['pageSize', 'exportBatchSize'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new TypeError(`conformance: ${key} must be a positive whole number`);
  }
}

/**
 * Runs one conformance check against a fresh target and resolves with its outcome, or throws an
 * error saying what the connector did wrong. `describeConnectorConformance` runs every check this
 * way; call it directly to run a check outside vitest's `describe`.
 */
export async function runConformanceCheck(id: ConformanceCheckId, options: ConformanceOptions): Promise<ConformanceOutcome> {
  assertConformanceOptions(options);
  const check = CHECKS[id];
  const skipped = options.skip?.[id];
  if (skipped !== undefined) return { status: 'skipped', reason: skipped };
  const target = await options.target();
  const { context, controller } = createContext();
  try {
    const capabilities = options.connector.capabilities(target.values);
    const reason = check.precondition?.(capabilities, options);
    if (reason !== undefined) return { status: 'skipped', reason };
    const watch = id === 'handles-released' ? HandleWatch.start() : undefined;
    let result: string | void;
    let warnings: string[] = [];
    try {
      const instance = await options.connector.open(target.values, context);
      try {
        const session = await openSession(options, target.values, capabilities, context, instance);
        warnings = session.warnings;
        result = await check.run(session);
      } finally {
        await instance.close();
      }
    } catch (error) {
      watch?.stop();
      throw error;
    }
    if (watch) {
      const leaks = await watch.leaks();
      if (leaks.length > 0) fail(`handles remain after instance.close(): ${leaks.join(', ')}`);
    }
    if (typeof result === 'string') return { status: 'skipped', reason: result };
    return warnings.length > 0 ? { status: 'passed', warnings } : { status: 'passed' };
  } finally {
    controller.abort();
    await target.cleanup?.();
  }
}
