import { describe, expect, it } from 'vitest';
import { urlWithCredentials } from './connection-url.js';

describe('urlWithCredentials', () => {
  it('puts the password field into the URL, encoded so drivers decode it back', () => {
    const url = urlWithCredentials('postgres://ecmahost@db:5432/hr?sslmode=require', undefined, 'p@ss:w/rd%41 ');
    expect(url).toBe('postgres://ecmahost:p%40ss%3Aw%2Frd%2541%20@db:5432/hr?sslmode=require');
    expect(decodeURIComponent(new URL(url).password)).toBe('p@ss:w/rd%41 ');
  });

  it('lets the password field win over one in the URL and fills in a missing user', () => {
    expect(urlWithCredentials('mysql://root:old@db/hr', undefined, 'new')).toBe('mysql://root:new@db/hr');
    expect(urlWithCredentials('postgres://db/hr', 'svc', undefined)).toBe('postgres://svc@db/hr');
    expect(urlWithCredentials('postgres://app@db/hr', 'svc', undefined)).toBe('postgres://app@db/hr');
  });

  it('leaves what is not a URL alone', () => {
    expect(urlWithCredentials('host=db dbname=hr', 'u', 'p')).toBe('host=db dbname=hr');
  });
});
