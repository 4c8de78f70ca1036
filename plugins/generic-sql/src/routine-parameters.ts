/** One argument of a stored procedure call: what is passed, and under which parameter name if any. */
export interface RoutineParameter {
  /** An attribute name (export), or `@StartIndex`/`@EndIndex`/literal text (import). */
  value: string;
  /** The procedure's parameter (`@EmployeeName`) when the call names it; positional otherwise. */
  name?: string;
}

/**
 * Reads procedure parameters as Microsoft's wizard takes them: one `[Name]:[Direction]:[Value]` per
 * line or comma (`@EmployeeName: INPUT: EmployeeName`), or a bare value passed by position (the
 * connector's earlier form, `ContosoLogin, FirstName`). Only input parameters exist here: the
 * connector reads nothing back from a procedure but its result set. Throws an `Error` with the
 * reason; the caller names the parameter.
 */
export function parseRoutineParameters(text: string): RoutineParameter[] {
  const out: RoutineParameter[] = [];
  for (const raw of text.split(/\r?\n|,/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parts = entry.split(':').map((p) => p.trim());
    if (parts.length === 1) {
      out.push({ value: entry });
      continue;
    }
    const [name, direction, ...rest] = parts;
    const value = rest.join(':');
    if (parts.length < 3 || name === undefined || direction === undefined || value === '') throw new Error(`"${entry}" must read [Name]:[Direction]:[Value], e.g. @EmployeeName:IN:EmployeeName`);
    if (!/^@[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a parameter name; write it as @Name`);
    if (!/^(in|input)$/i.test(direction)) throw new Error(`${name}: direction ${direction} is not supported; only input parameters (IN or INPUT) are passed`);
    out.push({ name, value });
  }
  if (out.some((p) => p.name === undefined) && out.some((p) => p.name !== undefined)) {
    throw new Error('give every parameter as [Name]:[Direction]:[Value], or none: a call passes its arguments either by name or by position');
  }
  return out;
}

/** The parameter names of a call by name, or `undefined` for a call by position. */
export function parameterNames(parameters: readonly RoutineParameter[]): string[] | undefined {
  const names = parameters.map((p) => p.name);
  return names.length > 0 && names.every((n): n is string => n !== undefined) ? names : undefined;
}
