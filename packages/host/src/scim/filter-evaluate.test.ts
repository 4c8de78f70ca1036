import { describe, expect, it } from 'vitest';
import { evaluateFilter } from './filter-evaluate.js';
import { parseFilter } from './filter-parser.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const user = {
  id: 'abc',
  userName: 'BJensen',
  active: false,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { type: 'work', value: 'bjensen@example.com', primary: true },
    { type: 'home', value: 'babs@jensen.org' },
  ],
  meta: { lastModified: '2024-05-01T10:00:00Z' },
  [EXT]: { employeeNumber: 42, objectClass: ['person', 'inetOrgPerson'], code: 'AbC' },
};

const matches = (filter: string, caseExact = false) => evaluateFilter(parseFilter(filter), user, { caseExact: () => caseExact });

describe('evaluateFilter', () => {
  it.each([
    ['userName eq "bjensen"', true],
    ['USERNAME eq "BJENSEN"', true],
    ['userName ne "bjensen"', false],
    ['userName co "jen"', true],
    ['userName sw "bj"', true],
    ['userName ew "SEN"', true],
    ['name.givenName eq "Barbara"', true],
    ['name.middleName pr', false],
    ['name pr', true],
    ['active eq false', true],
    ['active eq "False"', true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', true],
    ['emails[type eq "home"].value eq "bjensen@example.com"', false],
    ['emails[type eq "work" and primary eq true]', true],
    ['emails eq "babs@jensen.org"', true],
    ['emails.value ew "jensen.org"', true],
    [`${EXT}:employeeNumber gt 41`, true],
    [`${EXT}:employeeNumber le "41"`, false],
    [`${EXT}:objectClass eq "inetorgperson"`, true],
    ['meta.lastModified gt "2024-01-01T00:00:00Z"', true],
    ['meta.lastModified lt "2024-01-01T00:00:00Z"', false],
    ['PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"', false],
    ['not (PLACEHOLDER pr)', true],
    ['userName eq "x" or name.familyName eq "jensen"', true],
    ['userName eq "bjensen" and not (active eq true)', true],
    [`urn:ietf:params:scim:schemas:extension:Other:2.0:User:x eq "y"`, false],
    ['nickName eq null', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('compares case-sensitively where the attribute is caseExact', () => {
    expect(matches(`${EXT}:code eq "abc"`, true)).toBe(false);
    expect(matches(`${EXT}:code eq "AbC"`, true)).toBe(true);
  });
});
