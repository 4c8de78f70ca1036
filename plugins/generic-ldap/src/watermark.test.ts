import { describe, expect, it } from 'vitest';
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
