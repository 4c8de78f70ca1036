import { describe, expect, it } from 'vitest';
import { deletedFilter, deletedObjectsContainers, usnFilter } from './usn-delta.js';
import { parseWatermark } from './watermark.js';

describe('uSNChanged delta', () => {
  it('asks for the USNs after the watermark, past 2^53 too', () => {
    expect(usnFilter('(objectClass=user)', '')).toBe('(objectClass=user)');
    expect(usnFilter('(objectClass=user)', '41')).toBe('(&(objectClass=user)(uSNChanged>=42))');
    expect(usnFilter('(objectClass=user)', '9007199254740993')).toBe('(&(objectClass=user)(uSNChanged>=9007199254740994))');
    expect(deletedFilter('(objectClass=user)', '41')).toBe('(&(&(isDeleted=TRUE)(objectClass=user))(uSNChanged>=42))');
  });

  it("looks for tombstones in the Deleted Objects container of each base's innermost naming context", () => {
    const partitions = ['CN=Contoso,DC=lab', 'CN=Apps,CN=Contoso,DC=lab', 'O=Other'];
    expect(deletedObjectsContainers(['CN=Users,CN=Contoso,DC=lab', 'OU=Staff,CN=Contoso,DC=lab', 'CN=Svc,CN=Apps,CN=Contoso,DC=lab', 'CN=x,DC=elsewhere'], partitions)).toEqual([
      'CN=Deleted Objects,CN=Contoso,DC=lab',
      'CN=Deleted Objects,CN=Apps,CN=Contoso,DC=lab',
    ]);
  });

  it('keeps a USN watermark apart from the other methods', () => {
    const stored = JSON.stringify({ v: 1, method: 'usnChanged', position: '12345' });
    expect(parseWatermark(stored, 'usnChanged')).toEqual({ method: 'usnChanged', position: '12345' });
    expect(() => parseWatermark(stored, 'modifyTimestamp')).toThrow('the stored watermark is a usnChanged position but the delta method is now modifyTimestamp; run a full import');
    expect(() => parseWatermark(JSON.stringify({ v: 1, method: 'usnChanged', position: '20260101000000Z' }), 'usnChanged')).toThrow('the stored uSNChanged is not a number; run a full import');
  });
});
