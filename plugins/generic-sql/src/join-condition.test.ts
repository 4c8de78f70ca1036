import { describe, expect, it } from 'vitest';
import { parseJoinCondition } from './join-condition.js';

describe('parseJoinCondition', () => {
  it('reads Microsoft\'s Table.Column = Table.Column, either way round, with AND', () => {
    expect(parseJoinCondition('Employees.ContosoLogin = EmployeeMail.Login', { name: 'EmployeeMail' })).toEqual([{ parent: 'ContosoLogin', child: 'Login' }]);
    expect(parseJoinCondition('EmployeeMail.Login=Employees.ContosoLogin AND mail.EmployeeMail.Tenant = Employees.Tenant', { schema: 'mail', name: 'EmployeeMail' })).toEqual([
      { parent: 'ContosoLogin', child: 'Login' },
      { parent: 'Tenant', child: 'Tenant' },
    ]);
  });

  it('refuses anything but column equalities between the two tables', () => {
    expect(() => parseJoinCondition('Employees.Id = EmployeeMail.Id OR 1=1', { name: 'EmployeeMail' })).toThrow(/equality/);
    expect(() => parseJoinCondition('Employees.Id = Other.Id', { name: 'EmployeeMail' })).toThrow(/must compare/);
    expect(() => parseJoinCondition('Id = EmployeeMail.Id', { name: 'EmployeeMail' })).toThrow(/Table\.Column/);
    expect(() => parseJoinCondition('Employees.Id = EmployeeMail.Id; DROP TABLE x', { name: 'EmployeeMail' })).toThrow();
  });
});
