import { describe, expect, it } from 'vitest';
import { validatePage } from './validation.js';

const connectivity = (values: Record<string, string>) => validatePage({ page: 'connectivity', pageNumber: 1, values });

describe('validatePage', () => {
  it('checks the Connectivity page on its own', () => {
    expect(connectivity({ dialect: 'sqlite', connectionUrl: './data/hr.db' })).toEqual([]);
    expect(connectivity({ dialect: 'sqlite' })).toEqual([{ parameter: 'connectionUrl', message: expect.stringContaining('SQLite') }]);
    expect(connectivity({ dialect: 'postgresql', host: 'db' })).toEqual([]);
    expect(connectivity({ dialect: 'postgresql' })).toEqual([{ parameter: 'connectionUrl', message: expect.any(String) }]);
    expect(connectivity({ dialect: 'postgresql', connectionUrl: 'mysql://db/hr' })).toEqual([{ parameter: 'connectionUrl', message: expect.stringContaining('postgres://') }]);
    expect(connectivity({ dialect: 'mariadb', connectionUrl: 'mysql://u:p@ss@db:3306/hr' })).toEqual([]);
    expect(connectivity({ dialect: 'mariadb', connectionUrl: 'mysql://u@db:port/hr' })).toEqual([{ parameter: 'connectionUrl', message: expect.stringContaining('not a valid URL') }]);
  });

  it('checks the whole configuration on the Run step page, naming the parameter', () => {
    const values = { dialect: 'sqlite', connectionUrl: 'x.db', table: 'Employees', anchorColumns: 'ContosoLogin' };
    expect(validatePage({ page: 'runStep', pageNumber: 1, values })).toEqual([]);
    expect(validatePage({ page: 'runStep', pageNumber: 1, values: { ...values, exportMethod: 'statement', deltaStrategy: 'watermark' } })).toEqual([
      { parameter: 'watermarkColumn', message: 'watermarkColumn is required' },
    ]);
    expect(validatePage({ page: 'schema', pageNumber: 2, values: {} })).toEqual([]);
  });
});
