import { attributeChange, type CSEntryChange } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { attributeColumn as column } from '../test/support/models.js';
import { EntryProblem } from './error-mapping.js';
import type { ObjectModel } from './object-model.js';
import { flatValues, planWrite } from './write-plan.js';

const model: ObjectModel = {
  objectType: 'User',
  table: { name: 'Employees' },
  anchors: ['ContosoLogin'],
  dn: { mode: 'column', column: 'AzureID' },
  single: [column('ContosoLogin'), column('FirstName'), column('EmployeeNumber', 'integer'), column('AzureID'), column('LastModified', 'string', 'importOnly')],
  multi: { table: { name: 'Mail' }, join: [{ parent: 'ContosoLogin', child: 'Login' }], attributes: [column('Proxy')] },
};

const entry = (modification: CSEntryChange['modification'], attributeChanges: CSEntryChange['attributeChanges'], anchor: CSEntryChange['anchor'] = { ContosoLogin: 'ann' }): CSEntryChange => ({
  identifier: '1',
  objectType: 'User',
  modification,
  anchor,
  attributeChanges,
});

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (error instanceof EntryProblem) return error.entryError;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('planWrite', () => {
  it('takes the anchor of an add from its attributes and the DN into its column', () => {
    const plan = planWrite(model, { ...entry('add', [attributeChange.add('ContosoLogin', 'bob'), attributeChange.add('FirstName', 'Bob'), attributeChange.add('Proxy', ['a', 'b'])], {}), dn: 'CN=bob' });
    expect(plan.anchor).toEqual({ ContosoLogin: 'bob' });
    expect([...plan.columns]).toEqual([['FirstName', 'Bob']]);
    expect(plan.multi).toEqual([{ name: 'Proxy', remove: [], add: ['a', 'b'] }]);
    expect(plan.dn).toBe('CN=bob');
  });

  it('keeps only the model\'s anchor columns of an entry\'s anchor', () => {
    expect(planWrite(model, entry('delete', [], { ContosoLogin: 'ann', '-dn-': 'CN=ann' })).anchor).toEqual({ ContosoLogin: 'ann' });
  });

  it('turns an update into column sets, clears and value deltas', () => {
    const plan = planWrite(model, entry('update', [attributeChange.replace('FirstName', 'Ann'), attributeChange.delete('EmployeeNumber'), attributeChange.update('Proxy', { add: ['c'], delete: ['a'] })]));
    expect([...plan.columns]).toEqual([
      ['FirstName', 'Ann'],
      ['EmployeeNumber', null],
    ]);
    expect(plan.multi).toEqual([{ name: 'Proxy', remove: ['a'], add: ['c'] }]);
  });

  it('clears what a replace leaves out', () => {
    const plan = planWrite(model, entry('replace', [attributeChange.add('FirstName', 'Ann')]));
    expect([...plan.columns]).toEqual([
      ['FirstName', 'Ann'],
      ['EmployeeNumber', null],
    ]);
    expect(plan.multi).toEqual([{ name: 'Proxy', remove: 'all', add: [] }]);
  });

  it('refuses unknown, read-only, mistyped and multi-valued writes to single attributes, and anchor changes', () => {
    expect(refusal(() => planWrite(model, entry('update', [attributeChange.replace('Shoe', '42')])))).toMatchObject({ code: 'invalid-provisioning-value', attribute: 'Shoe' });
    expect(refusal(() => planWrite(model, entry('update', [attributeChange.replace('LastModified', 'x')])))).toMatchObject({ code: 'invalid-provisioning-value', attribute: 'LastModified' });
    expect(refusal(() => planWrite(model, entry('update', [attributeChange.replace('EmployeeNumber', 'ten')])))).toMatchObject({ code: 'syntax-violation', attribute: 'EmployeeNumber' });
    expect(refusal(() => planWrite(model, entry('update', [attributeChange.replace('FirstName', ['a', 'b'])])))).toMatchObject({ code: 'syntax-violation', attribute: 'FirstName' });
    expect(refusal(() => planWrite(model, entry('update', [attributeChange.replace('ContosoLogin', 'eve')])))).toMatchObject({ code: 'invalid-provisioning-value', attribute: 'ContosoLogin' });
    expect(planWrite(model, entry('update', [attributeChange.replace('ContosoLogin', 'ann')])).columns.size).toBe(0);
  });
});

describe('flatValues', () => {
  it('gives placeholders the current row overlaid with the change, first value of multi-valued attributes', () => {
    const plan = planWrite(model, entry('update', [attributeChange.replace('FirstName', 'Ann'), attributeChange.replace('Proxy', ['x', 'y'])]));
    expect(flatValues(plan, { FirstName: 'Old', EmployeeNumber: 7 })).toEqual({ ContosoLogin: 'ann', FirstName: 'Ann', EmployeeNumber: 7, Proxy: 'x' });
  });
});
