import type { TableName } from './dialects/dialect.js';

/** One equality of a join: a parent (object table) column and the child column that refers to it. */
export interface JoinPair {
  parent: string;
  child: string;
}

/**
 * Parses Microsoft's join condition (`Employees.ContosoLogin = EmployeeMail.ContosoLogin`, several
 * equalities joined with AND) into column pairs. The sides are told apart by the child table's name;
 * anything but `table.column = table.column` equalities is refused, because the pairs are rebuilt
 * as quoted identifiers rather than pasted into SQL.
 */
export function parseJoinCondition(text: string, child: TableName): JoinPair[] {
  const pairs: JoinPair[] = [];
  for (const part of text.split(/\s+and\s+/i)) {
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(part);
    if (!match?.[1] || !match[2]) throw new Error(`"${part.trim()}" is not an equality of two columns (Table.Column = Table.Column)`);
    const left = splitQualified(match[1]);
    const right = splitQualified(match[2]);
    const leftIsChild = left.table === child.name || left.table === `${child.schema ?? ''}.${child.name}`;
    const rightIsChild = right.table === child.name || right.table === `${child.schema ?? ''}.${child.name}`;
    if (leftIsChild === rightIsChild) throw new Error(`"${part.trim()}" must compare a column of ${child.name} with a column of the object table`);
    pairs.push(leftIsChild ? { parent: right.column, child: left.column } : { parent: left.column, child: right.column });
  }
  if (pairs.length === 0) throw new Error('the join condition is empty');
  return pairs;
}

function splitQualified(text: string): { table: string; column: string } {
  const dot = text.lastIndexOf('.');
  if (dot <= 0) throw new Error(`"${text}" must be written Table.Column`);
  return { table: text.slice(0, dot), column: text.slice(dot + 1) };
}
