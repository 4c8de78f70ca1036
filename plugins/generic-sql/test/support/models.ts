import type { AttributeColumn } from '../../src/object-model.js';

/** An attribute column of a hand-written model, for unit tests of what reads or writes models. */
export function attributeColumn(name: string, type: AttributeColumn['type'] = 'string', operation: AttributeColumn['operation'] = 'importExport'): AttributeColumn {
  return { name, type, operation, required: false, generated: false };
}
