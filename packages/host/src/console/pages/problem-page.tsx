import { Layout } from '../layout.js';
import type { PageContext } from '../layout.js';
import { Shown } from '../visible-text.js';

/** A page saying what went wrong. */
export function ProblemPage(props: { ctx: PageContext; title: string; message: string }) {
  return (
    <Layout title={props.title} ctx={props.ctx}>
      <div class="failure" role="alert">
        <Shown text={props.message} />
      </div>
      <p>
        <a href="/console">Back to the overview</a>
      </p>
    </Layout>
  );
}
