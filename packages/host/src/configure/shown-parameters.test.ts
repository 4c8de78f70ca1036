import { secret } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { SECRET_SHOWN, shownParameters } from './shown-parameters.js';

describe('shownParameters', () => {
  it('masks secrets and the password of a URL stored by an earlier version, and nothing else', () => {
    expect(
      shownParameters({
        password: secret('hunter2'),
        connectionUrl: 'postgres://app:s3cr%40t@db.example:5432/hr?sslmode=require',
        plainUrl: 'postgres://app@db.example/hr',
        notAUrl: 'user:pass@host',
        brokenUrl: 'postgres://[not a host',
        port: '5432',
        tls: true,
      }),
    ).toEqual({
      password: SECRET_SHOWN,
      connectionUrl: 'postgres://app:***@db.example:5432/hr?sslmode=require',
      plainUrl: 'postgres://app@db.example/hr',
      notAUrl: 'user:pass@host',
      brokenUrl: 'postgres://[not a host',
      port: '5432',
      tls: true,
    });
  });
});
