import type { HostStatus } from '../../host.js';
import { Layout } from '../layout.js';
import type { PageContext } from '../layout.js';
import { Shown, visibleText } from '../visible-text.js';

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The overview: every connector's state, cache, last import and export errors; the certificate. */
export function OverviewPage(props: { ctx: PageContext; status: HostStatus; importing: ReadonlySet<string> }) {
  const { status } = props;
  const cert = status.certificate;
  return (
    <Layout title="Overview" ctx={props.ctx}>
      {status.connectors.length === 0 ? (
        <div class="notice" id="first-run">
          First run: check the port and certificate in <a href="/console/settings">Settings</a>, then <a href="/console/wizard?new=1">create a connector</a>.
        </div>
      ) : null}
      <section>
        <h2>Certificate</h2>
        {cert === undefined ? (
          <p id="certificate-days">Serving plain HTTP: no certificate.</p>
        ) : (
          <p id="certificate-days">
            {`${cert.daysLeft} days left (expires ${cert.notAfter})`}
            {cert.daysLeft < 30 ? ' — renew it in Settings.' : ''}
          </p>
        )}
      </section>
      <section>
        <h2>Connectors</h2>
        <table id="connectors">
          <thead>
            <tr>
              <th>Name</th>
              <th>State</th>
              <th>Cache</th>
              <th>Last import</th>
              <th>Duration</th>
              <th>Export errors</th>
            </tr>
          </thead>
          <tbody>
            {status.connectors.map((c) => {
              const state = props.importing.has(c.name) && c.state === 'ready' ? 'importing' : c.state;
              return (
                <tr data-connector={c.name}>
                  <td>
                    <a href={`/console/connectors/${encodeURIComponent(c.name)}`}><Shown text={c.name} />
                    </a>
                  </td>
                  <td class={`state-${state}`} data-field="state" title={visibleText(c.lastError ?? '')}>
                    {state}
                  </td>
                  <td data-field="cache">{String(c.cacheSize)}</td>
                  <td>{c.lastImport ? `${c.lastImport.type} at ${c.lastImport.at}` : 'never'}</td>
                  <td>{c.lastImport ? duration(c.lastImport.durationMs) : ''}</td>
                  <td data-field="export-errors">{String(c.exportErrors)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {status.connectors.length === 0 ? <p>No connectors yet.</p> : null}
      </section>
    </Layout>
  );
}
