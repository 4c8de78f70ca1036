// `ecmahost --version` and `ecmahost service` from the built binary: the systemd unit it prints
// passes `systemd-analyze verify`, its exact ExecStart command line serves SCIM on a data directory
// whose path has a space, and install / status / uninstall write and remove the unit file.
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR, cli, fixtureAddArgs, httpsRequest, useCliWorkspace, writeFixture } from './cli-harness.js';

const run = promisify(execFile);
const FILTER = `filter=${encodeURIComponent('userName eq "alice"')}`;
const version = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
const systemdRunsHere = (): boolean => (existsSync('/proc/1/comm') ? readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd' : false);
const analyzer = async (): Promise<string | undefined> => run('systemd-analyze', ['--version']).then(() => undefined, () => 'systemd-analyze is not installed');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The words of a unit file's command line, unquoted as systemd reads them (systemd.syntax(7)). */
function systemdWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1').replace(/%%/g, '%').replace(/\$\$/g, '$'));
}

describe('ecmahost --version and ecmahost service (built binary)', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost service ', dataDirName: 'data dir' });
  const { env, run: ecmahost } = workspace;
  let port: number;
  const token = 'service-token-0123456789-abcdefghij';

  beforeAll(async () => {
    port = await freePort();
    const fixture = await writeFixture(workspace.dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
    expect((await ecmahost('init', '--host-name', 'localhost', '--port', String(port))).code).toBe(0);
    const added = await ecmahost(...fixtureAddArgs('People', fixture, ['--token', token]));
    expect(added.code, added.stderr).toBe(0);
  });

  it('--version prints the host\'s and the SDK\'s versions', async () => {
    const result = await cli(['--version'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`ecmahost ${version(PACKAGE_DIR)} (@ecmahost/sdk ${version(path.join(PACKAGE_DIR, '..', 'sdk'))}, Node.js ${process.version})\n`);
  });

  it('prints a systemd unit that systemd-analyze verify accepts, whose ExecStart serves SCIM', async (context) => {
    const printed = await ecmahost('service', 'install', '--print', '--user', 'ecmahost');
    expect(printed.code, printed.stderr).toBe(0);
    const unit = printed.stdout;
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toContain(`ReadWritePaths="${workspace.dataDir}"`);
    for (const line of ['Type=exec', 'ExecReload=/bin/kill -HUP $MAINPID', 'User=ecmahost', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes']) expect(unit.split('\n')).toContain(line);
    const execStart = unit.split('\n').find((l) => l.startsWith('ExecStart='));
    const words = systemdWords(execStart ?? '');
    expect(words).toEqual([process.execPath, path.join(PACKAGE_DIR, 'dist', 'cli.js'), '--data-dir', workspace.dataDir, 'serve']);

    const skip = await analyzer();
    // CI (ECMAHOST_REQUIRE_LIVE=1) installs systemd: there a missing analyzer is a failure, not a skip.
    if (skip !== undefined && process.env.ECMAHOST_REQUIRE_LIVE === '1') throw new Error(`ECMAHOST_REQUIRE_LIVE=1 but ${skip} (apt-get install systemd)`);
    if (skip !== undefined) context.skip(skip);
    const unitFile = path.join(workspace.dir, 'units', 'ecmahost.service');
    await mkdir(path.dirname(unitFile), { recursive: true });
    await writeFile(unitFile, unit);
    const verified = await run('systemd-analyze', ['verify', unitFile]).then(
      ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(verified).toEqual({ code: 0, output: '' });

    // The exact command line, in the unit's working directory, as systemd would start it.
    const [file = '', ...args] = words;
    const workingDirectory = unit.split('\n').find((l) => l.startsWith('WorkingDirectory='))?.slice('WorkingDirectory='.length);
    expect(workingDirectory).toBe(workspace.dataDir);
    const child = spawn(file, args, { cwd: workingDirectory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const ca = await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8');
      const url = `https://localhost:${port}/ecma2host_People/scim/Users?${FILTER}`;
      let answer: Awaited<ReturnType<typeof httpsRequest>> | undefined;
      for (let tries = 0; answer?.status !== 200; tries++) {
        if (child.exitCode !== null || tries > 300) throw new Error(`the ExecStart command did not serve:\n${output}`);
        answer = await httpsRequest(url, { ca, token }).catch(() => undefined);
        if (answer?.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answer.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'alice' }] });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it.skipIf(systemdRunsHere())('install writes the unit and says how to start it where systemd does not run; status and uninstall follow it', async () => {
    const units = path.join(workspace.dir, 'installed units');
    const installed = await ecmahost('service', 'install', '--dir', units, '--user', 'nobody');
    expect(installed.code, installed.stderr).toBe(0);
    const unitFile = path.join(units, 'ecmahost.service');
    expect(await readFile(unitFile, 'utf8')).toBe((await ecmahost('service', 'install', '--print', '--user', 'nobody')).stdout);
    expect(installed.stdout).toContain(`Wrote ${unitFile}`);
    expect(installed.stdout).toMatch(/Not started: systemd is not running here \(PID 1 is .+\)\. To enable and start it where systemd runs:\n {2}systemctl daemon-reload\n {2}systemctl enable --now ecmahost\.service\n/);

    const status = await ecmahost('service', 'status', '--dir', units);
    expect(status.stdout).toContain(`ecmahost is installed: ${unitFile}.`);
    const removed = await ecmahost('service', 'uninstall', '--dir', units);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('systemctl disable --now ecmahost.service');
    expect(existsSync(unitFile)).toBe(false);
    expect((await ecmahost('service', 'status', '--dir', units)).stdout).toBe(`ecmahost is not installed (no ${unitFile}).\n`);
  });

  it('connector import runs a full import with --full (the default) or a delta with --delta, never both', async () => {
    const full = await ecmahost('connector', 'import', 'People', '--full');
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(/^Full import of People \(standalone: no host is running\): 1 object\(s\) imported/);
    const both = await ecmahost('connector', 'import', 'People', '--full', '--delta');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '--full' cannot be used with option '--delta'");
  });

  it('refuses to install a service for a directory that is not initialised, and writes nothing', async () => {
    const units = path.join(workspace.dir, 'refused units');
    const refused = await cli(['--data-dir', path.join(workspace.dir, 'nothing here'), 'service', 'install', '--dir', units], { env, cwd: workspace.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not an ecmahost data directory (no host.yaml): run "ecmahost init');
    expect(existsSync(units)).toBe(false);
  });
});
