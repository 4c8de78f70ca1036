import { describe, expect, it } from 'vitest';
import { renderDnTemplate } from './dn-template.js';

describe('DN templates', () => {
  it('fills attributes and escapes their values so each stays one RDN value', () => {
    expect(renderDnTemplate('uid={uid},ou=people,dc=example,dc=com', { uid: 'a,b+c' })).toBe('uid=a\\,b\\+c,ou=people,dc=example,dc=com');
    expect(renderDnTemplate('cn={CN},dc=x', { cn: ['#1 ', 'other'] })).toBe('cn=\\#1\\ ,dc=x');
    expect(() => renderDnTemplate('uid={uid},dc=x', {})).toThrow(/needs a value for uid/);
  });
});
