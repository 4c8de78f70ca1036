import type { Child } from 'hono/jsx';

// Characters a browser draws as nothing or that reorder the text around them: C0 and C1 controls
// (NUL included) and the bidirectional marks, embeddings, overrides and isolates (U+200E/F,
// U+202A–U+202E, U+2066–U+2069, U+061C). Escaping for HTML leaves them in, so a user named
// "rtl\u202Egnp.exe" would read as "rtlexe.png" (issue 15, finding 7). Tab, line feed and carriage
// return stay: HTML draws them as white space and error messages carry them.
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `⟨U+202E⟩` for one hidden character. */
function codeOf(char: string): string {
  return `⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * `text` with every control and bidi character written as `⟨U+XXXX⟩`: for places that hold text
 * only (a `title` attribute, the page title) where {@link Shown} cannot put its marked span.
 */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, codeOf);
}

/**
 * Renders text that came from a target, a connector or a request (names, attribute values, paths,
 * error messages) with each control and bidi character shown as `⟨U+XXXX⟩` in a
 * `<span class="ctl">`, so it can neither hide nor reorder what the admin reads. Every console
 * page renders such text through this.
 */
export function Shown(props: { text: string }): Child {
  const { text } = props;
  // search() ignores the global flag's lastIndex, unlike test().
  if (text.search(HIDDEN) === -1) return text;
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(HIDDEN)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(
      <span class="ctl" title="a control or bidirectional character">
        {codeOf(match[0])}
      </span>,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
