/**
 * Why a display name or description cannot be used, or `undefined` when it can. Both end up inside
 * a TypeScript string and a JSON field, so they must be one line of printable text.
 */
export function textAnswerProblem(label: string, value: string): string | undefined {
  if (value.trim().length === 0) return `the ${label} is empty`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return `the ${label} must be one line of text without control characters`;
  if (value.length > 200) return `the ${label} has at most 200 characters`;
  return undefined;
}
