import { Csrf, FieldError, Layout } from '../layout.js';
import type { PageContext } from '../layout.js';

/** The sign-in page: the admin credential written by `ecmahost init`. */
export function LoginPage(props: { ctx: PageContext; error?: string; adminTokenFile: string }) {
  return (
    <Layout title="Sign in" ctx={props.ctx}>
      <form method="post" action="/console/login" class="card">
        <Csrf token={props.ctx.csrf} />
        <p class="help">
          Use the admin credential that <code>ecmahost init</code> wrote to <code>{props.adminTokenFile}</code> (never a connector's SCIM token).
        </p>
        <label for="credential">Admin credential</label>
        <input type="password" id="credential" name="credential" autocomplete="current-password" autofocus />
        <FieldError id="credential" message={props.error} />
        <div class="actions">
          <button type="submit" id="sign-in">
            Sign in
          </button>
        </div>
      </form>
    </Layout>
  );
}
