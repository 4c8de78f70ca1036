import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzParameters } from '../test/fuzz.js';
import { isConnectorError } from '@ecmahost/sdk';
import { formatWatermark, parseWatermark } from './watermark.js';

describe('watermarks', () => {
  it('round-trip, and a foreign or mismatched one asks for a full import', () => {
    expect(parseWatermark(formatWatermark({ method: 'accesslog', position: '20260101000000.000001Z' }), 'accesslog').position).toBe('20260101000000.000001Z');
    for (const [text, method] of [
      ['garbage', 'accesslog'],
      [formatWatermark({ method: 'changelog', position: '5' }), 'accesslog'],
      [JSON.stringify({ v: 1, method: 'changelog', position: '5)(x' }), 'changelog'],
      [undefined, 'accesslog'],
    ] as const) {
      const error = (() => {
        try {
          parseWatermark(text, method);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(isConnectorError(error) && error.code).toBe('invalid-watermark');
    }
  });
});

describe('stored watermarks under arbitrary input (property-based)', () => {
  it('reads any text as a watermark of the method or refuses it as invalid-watermark, nothing else', () => {
    const json = fc.record({ v: fc.constantFrom(1, 2, '1'), method: fc.constantFrom('accesslog', 'changelog', 'modifyTimestamp', 'x'), position: fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^\d{14}(\.\d{1,6})?Z$/), fc.bigInt({ min: 0n }).map(String)) });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), json.map((w) => JSON.stringify(w))), fc.constantFrom('accesslog', 'changelog', 'modifyTimestamp'), (text, method) => {
        try {
          expect(parseWatermark(text, method).method).toBe(method);
        } catch (error) {
          expect(isConnectorError(error) && error.code).toBe('invalid-watermark');
        }
      }),
      fuzzParameters(40, 2_000),
    );
  });
});
