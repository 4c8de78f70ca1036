import { describe, expect, it } from 'vitest';
import type { LdapEntry } from './client.js';
import type { RangeReader } from './range-retrieval.js';
import { completeRanges, hasRanges, parseRangedName } from './range-retrieval.js';

// Result shapes as AD LDS returns them for a group of 3,200 members with MaxValRange 1500: the
// first search holds member;range=0-1499, each follow-up the next range, the last one ends in *.
const members = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `CN=u${String(from + i)},CN=Users,CN=Contoso,DC=lab`);
const GROUP = 'CN=Big,CN=Groups,CN=Contoso,DC=lab';

function recorded(): { read: RangeReader; requests: string[] } {
  const requests: string[] = [];
  const answers: Record<string, Record<string, string[]>> = {
    'member;range=1500-*': { 'member;range=1500-2999': members(1500, 2999) },
    'member;range=3000-*': { 'member;range=3000-*': members(3000, 3199) },
  };
  return {
    requests,
    read: async (dn, request) => {
      requests.push(`${dn} ${request}`);
      const attributes = answers[request];
      return attributes === undefined ? undefined : { dn, attributes };
    },
  };
}

describe('ranged retrieval', () => {
  it('reads AD range options, open-ended or not, and leaves other descriptions alone', () => {
    expect(parseRangedName('member;range=0-1499')).toEqual({ attribute: 'member', low: 0, high: 1499 });
    expect(parseRangedName('Member;Range=1500-*')).toEqual({ attribute: 'Member', low: 1500, high: '*' });
    expect(parseRangedName('userCertificate;binary')).toBeUndefined();
    expect(parseRangedName('member')).toBeUndefined();
  });

  it('follows the ranges until one ends in *, and keeps every value in order under the plain name', async () => {
    const entry: LdapEntry = { dn: GROUP, attributes: { cn: ['Big'], 'member;range=0-1499': members(0, 1499) } };
    expect(hasRanges(entry)).toBe(true);
    const { read, requests } = recorded();
    await completeRanges(entry, read);
    expect(requests).toEqual([`${GROUP} member;range=1500-*`, `${GROUP} member;range=3000-*`]);
    expect(Object.keys(entry.attributes)).toEqual(['cn', 'member']);
    expect(entry.attributes.member).toEqual(members(0, 3199));
    expect(hasRanges(entry)).toBe(false);
  });

  it('asks nothing for a range that already ends in *', async () => {
    const entry: LdapEntry = { dn: GROUP, attributes: { 'member;range=0-*': members(0, 9) } };
    const { read, requests } = recorded();
    await completeRanges(entry, read);
    expect(requests).toEqual([]);
    expect(entry.attributes).toEqual({ member: members(0, 9) });
  });

  it('fails the entry when a follow-up does not continue the range', async () => {
    const entry: LdapEntry = { dn: GROUP, attributes: { 'member;range=0-999': members(0, 999) } };
    await expect(completeRanges(entry, recorded().read)).rejects.toThrow(`${GROUP}: the server did not return member from value 1000 on (ranged retrieval)`);
  });
});
