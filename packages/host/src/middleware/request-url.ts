// Parts of a request URL read by slicing: both run on every request.

/**
 * The origin of a request URL. The URL is already normalised (the server and `Request` parse it),
 * so slicing gives what `new URL(url).origin` would, without parsing it a second time per request;
 * a URL with user info (an absolute-form target) is parsed.
 */
export function originOf(url: string): string {
  const end = url.indexOf('/', url.indexOf('//') + 2);
  const origin = end === -1 ? url : url.slice(0, end);
  return origin.includes('@') ? new URL(url).origin : origin;
}

/**
 * The path of a request's URL, which is already normalised (the server and `Request` parse it):
 * what `new URL(url).pathname` gives, without parsing it a second time on every request.
 */
export function pathnameOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const query = url.indexOf('?', start);
  const fragment = url.indexOf('#', start);
  const end = Math.min(query === -1 ? url.length : query, fragment === -1 ? url.length : fragment);
  return url.slice(start, end);
}
