import { describe, expect, it } from 'vitest';
import { guidFromText, guidToText } from './guid.js';

// The pair from Microsoft's documentation of System.Guid.ToByteArray, the layout AD stores objectGUID in.
const TEXT = '35918bc9-196d-40ea-9779-889d79b753f0';
const BYTES = Buffer.from('C98B91356D19EA409779889D79B753F0', 'hex');

describe('objectGUID text form', () => {
  it('reads the bytes with the first three groups little-endian', () => {
    expect(guidToText(BYTES)).toBe(TEXT);
  });

  it('writes the same bytes from the plain, braced and upper-case forms', () => {
    for (const form of [TEXT, `{${TEXT.toUpperCase()}}`, ` ${TEXT} `]) expect(guidFromText(form).equals(BYTES), form).toBe(true);
  });

  it('refuses what is not a GUID, naming the value', () => {
    expect(() => guidFromText('35918bc9196d40ea9779889d79b753f0x')).toThrow('"35918bc9196d40ea9779889d79b753f0x" is not a GUID');
    expect(() => guidFromText('{35918bc9-196d-40ea-9779-889d79b753f}')).toThrow(/is not a GUID/);
    expect(() => guidToText(Buffer.alloc(15))).toThrow('a GUID is 16 bytes, not 15');
  });
});
