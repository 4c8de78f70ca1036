import { isConnectorError } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { decodeWatermark, encodeWatermark, watermarkOf, watermarkParameter, watermarkText } from './watermark.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isConnectorError(error) ? error.code : 'other';
  }
  return undefined;
}

describe('watermarks', () => {
  it('round-trip', () => {
    const text = encodeWatermark({ strategy: 'changeTable', value: '42' });
    expect(decodeWatermark(text, 'changeTable')).toEqual({ strategy: 'changeTable', value: '42' });
  });

  it('refuse a missing, foreign or other-strategy watermark with invalid-watermark', () => {
    expect(code(() => decodeWatermark(undefined, 'watermark'))).toBe('invalid-watermark');
    expect(code(() => decodeWatermark('2026-01-01', 'watermark'))).toBe('invalid-watermark');
    expect(code(() => decodeWatermark(encodeWatermark({ strategy: 'changeTable', value: '1' }), 'watermark'))).toBe('invalid-watermark');
  });

  it('keep database values as text', () => {
    expect(watermarkText(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z');
    expect(watermarkText(17)).toBe('17');
    expect(watermarkText(null)).toBeNull();
  });

  it('keep a binary value (an SQL Server rowversion) as hex and bind it back as the same bytes', () => {
    const rowversion = Buffer.from([0, 0, 0, 0, 0, 0, 0x07, 0xd1]);
    const mark = watermarkOf('watermark', rowversion);
    expect(mark).toEqual({ strategy: 'watermark', value: '0x00000000000007d1', binary: true });
    const decoded = decodeWatermark(encodeWatermark(mark), 'watermark');
    expect(watermarkParameter(decoded)).toEqual(rowversion);
    expect(watermarkParameter(decodeWatermark(encodeWatermark(watermarkOf('watermark', '2026-01-01T00:00:00.000')), 'watermark'))).toBe('2026-01-01T00:00:00.000');
    expect(code(() => decodeWatermark(JSON.stringify({ strategy: 'watermark', value: 'zz', binary: true }), 'watermark'))).toBe('invalid-watermark');
  });
});
