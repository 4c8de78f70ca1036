/**
 * The query parameters of a request URL, names lower-cased. Read with `URLSearchParams`, which
 * decodes `+` as a space (Entra sends `filter=userName+eq+"x"`); raw `"` characters arrive
 * percent-encoded by the URL parser and are decoded back.
 */
export function queryParams(url: string): Map<string, string> {
  const params = new Map<string, string>();
  const query = url.indexOf('?');
  if (query === -1) return params;
  for (const [key, value] of new URLSearchParams(url.slice(query + 1))) {
    const name = key.toLowerCase();
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}
