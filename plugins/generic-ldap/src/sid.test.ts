import { describe, expect, it } from 'vitest';
import { sidFromText, sidToText } from './sid.js';

// BUILTIN\Administrators, a well-known SID (MS-DTYP §2.4.2.4), in MS-DTYP §2.4.2.2's layout.
const ADMINISTRATORS = Buffer.from('01020000000000052000000020020000', 'hex');
// A domain-style SID with 32-bit sub-authorities above 2^31.
const DOMAIN_USER = 'S-1-5-21-3623811015-3361044348-30300820-1013';

describe('objectSid text form', () => {
  it('reads and writes the documented layout', () => {
    expect(sidToText(ADMINISTRATORS)).toBe('S-1-5-32-544');
    expect(sidFromText('S-1-5-32-544').equals(ADMINISTRATORS)).toBe(true);
    expect(sidToText(sidFromText(DOMAIN_USER))).toBe(DOMAIN_USER);
    expect(sidToText(sidFromText('S-1-0x123456789ABC-1'))).toBe('S-1-0x123456789ABC-1');
  });

  it('refuses what is not a SID, naming it', () => {
    expect(() => sidFromText('S-1-5')).toThrow('"S-1-5" is not a SID (S-1-<authority>-<sub-authority>…)');
    expect(() => sidFromText('S-1-5-4294967296')).toThrow(/is not a SID/);
    expect(() => sidToText(ADMINISTRATORS.subarray(0, 12))).toThrow('010200000000000520000000 is not a SID');
  });
});
