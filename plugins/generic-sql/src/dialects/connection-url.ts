/**
 * The connection URL with the Connectivity page's user and password in it. The password field wins
 * over one in the URL (admins keep the URL plain and the password encrypted); the user fills in a
 * URL without one. node-postgres otherwise lets the URL win over separate fields — and drops the
 * password when the URL has none.
 */
export function urlWithCredentials(url: string, user: string | undefined, password: string | undefined): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL (a libpq key=value string): the driver reads it as it is.
    return url;
  }
  // Percent-encoded here because the URL setters leave `%` as it is and drivers decode it.
  if (password !== undefined) parsed.password = encodeURIComponent(password);
  if (user !== undefined && parsed.username === '') parsed.username = encodeURIComponent(user);
  return parsed.toString();
}
