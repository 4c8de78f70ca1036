import { describe, expect, it } from 'vitest';
import { parseRoutineParameters } from './routine-parameters.js';

describe('parseRoutineParameters', () => {
  it("reads Microsoft's [Name]:[Direction]:[Value] form, one per line or comma", () => {
    expect(parseRoutineParameters('@EmployeeName: INPUT: EmployeeName\r\n@Login:in:ContosoLogin, @Start:IN:@StartIndex')).toEqual([
      { name: '@EmployeeName', value: 'EmployeeName' },
      { name: '@Login', value: 'ContosoLogin' },
      { name: '@Start', value: '@StartIndex' },
    ]);
  });

  it('keeps bare attribute names as positional arguments', () => {
    expect(parseRoutineParameters('ContosoLogin, FirstName')).toEqual([{ value: 'ContosoLogin' }, { value: 'FirstName' }]);
  });

  it('refuses output parameters, names without @ and incomplete entries, saying why', () => {
    expect(() => parseRoutineParameters('@Id:OUTPUT:Id')).toThrow('@Id: direction OUTPUT is not supported; only input parameters (IN or INPUT) are passed');
    expect(() => parseRoutineParameters('Id:IN:Id')).toThrow('"Id" is not a parameter name; write it as @Name');
    expect(() => parseRoutineParameters('@Id:IN')).toThrow('"@Id:IN" must read [Name]:[Direction]:[Value]');
    expect(() => parseRoutineParameters("@Id;DROP TABLE x:IN:Id")).toThrow('is not a parameter name');
    expect(() => parseRoutineParameters('@Id:IN:Id, FirstName')).toThrow('either by name or by position');
  });
});
