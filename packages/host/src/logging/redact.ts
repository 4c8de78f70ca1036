/** Names whose values never reach a log line: passwords, tokens, secrets, keys. */
const SENSITIVE = /pass(word)?|pwd|secret|token|credential|authorization|api[-_]?key|private/i;

/** The mask written instead of a sensitive value. */
export const REDACTED = '[redacted]';

/**
 * A copy of a JSON value (a request or response body) with every sensitive member masked, at any
 * depth, including URN-qualified keys (`...:User:export_password`) and PATCH operations whose path
 * names a sensitive attribute.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const pathValue = record.path ?? record.Path;
  const sensitivePath = typeof pathValue === 'string' && SENSITIVE.test(pathValue);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (SENSITIVE.test(key) || (sensitivePath && key.toLowerCase() === 'value')) out[key] = REDACTED;
    else out[key] = redact(v, depth + 1);
  }
  return out;
}
