// The through-host check: the kit starts @ecmahost/host (the workspace build) on the connector and
// runs Entra's user sequence over HTTP; a connector that the host cannot serve fails it.
import { describe, expect, it } from 'vitest';
import { runConformanceCheck } from '../src/testing/index.js';
import { referenceObjects } from './reference-connector.js';
import { referenceOptions } from './reference-samples.js';

describe('the through-host check', () => {
  it("passes Entra's user sequence on the reference connector and leaves the store empty", async () => {
    let leftAfterDelete = -1;
    const options = referenceOptions();
    const target = options.target;
    const outcome = await runConformanceCheck('through-host', {
      ...options,
      target: async () => {
        const made = await target();
        const store = made.values.store as string;
        // Look at the store before it is dropped: the DELETE went through to the target.
        const cleanup = async () => {
          leftAfterDelete = referenceObjects(store).length;
          await made.cleanup?.();
        };
        return { ...made, cleanup };
      },
    });
    expect(outcome).toEqual({ status: 'passed' });
    expect(leftAfterDelete).toBe(0);
  });

  it('fails at the step the host answered wrongly, with its answer', async () => {
    // The store drops every update's result: the host answers the PATCH with an error.
    await expect(runConformanceCheck('through-host', referenceOptions('drops-update-results'))).rejects.toThrow(
      /^through the host, the PATCH replacing displayName \(PATCH \/Users\/[^)]+\) should answer 200 or 204; it answered 5\d\d /,
    );
  });

  it('says how to enable it when @ecmahost/host cannot be loaded', async () => {
    const outcome = await runConformanceCheck('through-host', { ...referenceOptions(), throughHost: { userName: 'userName', hostModule: '@ecmahost/not-a-host/testing' } });
    expect(outcome).toEqual({
      status: 'skipped',
      reason:
        "@ecmahost/not-a-host/testing could not be loaded, so Entra's user sequence through a host did not run: install the host next to the kit with npm i -D @ecmahost/host (or set throughHost: false to say you do not want it)",
    });
  });

  it('is off with throughHost: false, and names the fix when userName has no attribute to map to', async () => {
    expect(await runConformanceCheck('through-host', { ...referenceOptions(), throughHost: false })).toEqual({ status: 'skipped', reason: 'turned off by the throughHost option' });
    const { throughHost: _given, ...defaults } = referenceOptions();
    await expect(runConformanceCheck('through-host', defaults)).rejects.toThrow(
      "the anchor (id) is not a writable string, so Entra's userName cannot map to it; set throughHost.userName to the string attribute Entra's userName maps to",
    );
  });
});
