import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { Shown, visibleText } from './visible-text.js';

/** What every console page needs from its session. */
export interface PageContext {
  csrf: string;
  /** Whether the user is signed in (shows the navigation and the sign-out button). */
  signedIn: boolean;
  flash?: string;
}

/** The hidden CSRF field every console form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** The page frame: navigation, a one-time message, the content. */
export function Layout(props: { title: string; ctx: PageContext; children?: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${visibleText(props.title)} · ecmahost console`}</title>
          <link rel="stylesheet" href="/console/assets/console.css" />
        </head>
        <body>
          <header>
            <a class="brand" href="/console">
              ecmahost
            </a>
            {props.ctx.signedIn ? (
              <>
                <a href="/console">Overview</a>
                <a href="/console/wizard?new=1">New connector</a>
                <a href="/console/settings">Settings</a>
                <form method="post" action="/console/logout">
                  <Csrf token={props.ctx.csrf} />
                  <button class="secondary" type="submit">
                    Sign out
                  </button>
                </form>
              </>
            ) : null}
          </header>
          <main>
            <h1>
              <Shown text={props.title} />
            </h1>
            {props.ctx.flash !== undefined ? (
              <div class="ok" role="status">
                <Shown text={props.ctx.flash} />
              </div>
            ) : null}
            {props.children}
          </main>
          <script src="/console/assets/console.js" defer></script>
        </body>
      </html>
    </>
  );
}

/** A field's error message, placed next to it. */
export function FieldError(props: { id: string; message: string | undefined }) {
  return props.message === undefined ? null : (
    <span class="error" id={`error-${props.id}`} role="alert">
      <Shown text={props.message} />
    </span>
  );
}
